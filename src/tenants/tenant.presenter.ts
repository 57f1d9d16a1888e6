import type { Tenant } from './tenant.entity.js';

export const presentTenant = (t: Tenant) => ({
  id: t.id,
  object: 'tenant' as const,
  name: t.name,
  status: t.status,
  plan: t.plan,
  limit_overrides: t.limitOverrides,
  billing: { mode: t.billingMode, net_days: t.netDays },
  metadata: t.metadata,
  created_at: t.createdAt.toISOString(),
});
