import type { ApiKey } from '../auth/api-key.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

export const presentTenant = (t: Tenant) => ({
  id: t.id,
  object: 'tenant' as const,
  name: t.name,
  status: t.status,
  plan: t.plan,
  metadata: t.metadata,
  created_at: t.createdAt.toISOString(),
});

export const presentApiKey = (k: ApiKey) => ({
  id: k.id,
  object: 'api_key' as const,
  tenant_id: k.tenantId,
  name: k.name,
  mode: k.mode,
  secret_start: k.secretStart,
  scopes: k.scopes,
  expires_at: k.expiresAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
  created_at: k.createdAt.toISOString(),
});
