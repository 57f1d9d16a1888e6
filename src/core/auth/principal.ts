import type { Limits } from '../limits/effective-limits.js';
import type { OperatorRole } from './operator-roles.js';

export type Scope =
  | 'videos:read'
  | 'videos:write'
  | 'files:write'
  | 'batches:write'
  | 'webhooks:manage'
  | 'billing:read'
  | 'billing:write'
  | 'keys:manage'
  | 'members:manage';

export const ALL_TENANT_SCOPES: Scope[] = [
  'videos:read',
  'videos:write',
  'files:write',
  'batches:write',
  'webhooks:manage',
  'billing:read',
  'billing:write',
  'keys:manage',
  'members:manage',
];

/** Per-key caps that narrow the tenant's limits; null when the key has none of its own. */
export interface KeyLimits {
  requestsPerMinute: number | null;
  monthlyVideoSeconds: number | null;
  /** When the key stops working (epoch ms), null for never: a key it creates or rolls may not outlive it. */
  expiresAt: number | null;
}

export type TenantPrincipal = {
  kind: 'tenant';
  tenantId: string;
  keyId: string;
  /** The first key of this key's roll chain: the monthly budget is counted per lineage, so rolling keeps it. */
  keyLineageId: string;
  livemode: boolean;
  scopes: string[];
  plan: string;
  /** Loaded with the key (and cached with it) so GET /v1/me needs no tenant read. */
  account: { name: string; billingMode: string; netDays: number | null };
  limits: Limits;
  keyLimits: KeyLimits;
  /** The dated API version the key was pinned to at creation: what it is answered in unless a request sends `Leoma-Version`. */
  apiVersion: string;
  /** Set when a signed-in person calls through a session rather than a key. */
  session?: SessionOfPrincipal;
};

export type OperatorPrincipal = { kind: 'operator'; operatorId: string; role: OperatorRole; session?: SessionOfPrincipal };

/** The browser session a request came with: the audit log names the person, not the session's key. */
export interface SessionOfPrincipal {
  id: string;
  /** The user (tenant sessions) or operator (operator sessions) signed in. */
  personId: string;
  /** The member's role in the tenant (tenant sessions only). */
  role?: string;
}

export type Principal = TenantPrincipal | OperatorPrincipal;

declare module 'express-serve-static-core' {
  interface Request {
    user?: Principal;
  }
}
