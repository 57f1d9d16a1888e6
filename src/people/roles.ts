import type { Scope } from '../core/auth/principal.js';
import { ALL_TENANT_SCOPES } from '../core/auth/principal.js';

export const MEMBER_ROLES = ['owner', 'admin', 'developer', 'billing', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * What each role may do, in the same scopes a key holds: one table, and a session's requests go
 * through the same scope checks as a key's. Owners and admins differ only in who may make, demote
 * or remove an owner (owners only; a tenant always keeps one).
 */
export const ROLE_SCOPES: Record<MemberRole, readonly Scope[]> = {
  owner: ALL_TENANT_SCOPES,
  admin: ALL_TENANT_SCOPES,
  developer: ['videos:read', 'videos:write', 'files:write', 'batches:write', 'webhooks:manage', 'keys:manage'],
  billing: ['billing:read', 'billing:write', 'videos:read'],
  viewer: ['videos:read', 'billing:read'],
};
