import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-tenants.controller.ts, kept here so the controller reads as a list of routes. */
export const adminTenantsDocs = {
  adminCreateTenant: {
    summary: 'Create a tenant with its plan, contract overrides and billing terms',
    operationId: 'adminCreateTenant',
    description:
      'Creates a customer account: plan, optional contract overrides of plan limits, billing terms (self-serve card or invoice with net days) and metadata. Create its keys next.',
  },
  adminListTenants: {
    summary: 'List tenants, newest first',
    operationId: 'adminListTenants',
    description: 'Cursor-paginated (`limit`, `starting_after`, `ending_before`), newest first; filter by status or plan.',
  },
  adminGetTenant: {
    summary: 'Retrieve a tenant with its effective limits',
    operationId: 'adminGetTenant',
    description: 'A tenant with its plan, overrides, billing terms and the effective limits they produce.',
  },
  adminUpdateTenant: {
    summary: 'Change name, plan, overrides (null clears one), billing terms or metadata',
    operationId: 'adminUpdateTenant',
    description:
      "Partial update. An override set to `null` goes back to the plan's value. Every change is recorded in the audit log with the operator who made it.",
  },
  adminSuspendTenant: {
    summary: 'Suspend: its keys get 403 tenant_suspended and its queued videos do not run',
    operationId: 'adminSuspendTenant',
    description:
      'Suspends a tenant: its keys get 403 `tenant_suspended` from the next request on, and its queued videos end `failed` instead of running. Reversible with resume.',
  },
  adminResumeTenant: {
    summary: 'Lift a suspension',
    operationId: 'adminResumeTenant',
    description: 'Lifts a suspension: keys work again from the next request on. Videos failed by the suspension are not revived.',
  },
  adminListTenantApiKeys: {
    summary: "List a tenant's API keys",
    operationId: 'adminListTenantApiKeys',
    description: "The tenant's keys: id, prefix, mode, scopes, caps, expiry, last use, revoked or not (never secrets).",
  },
  adminCreateTenantApiKey: {
    summary: "Create one of the tenant's API keys; the secret is shown only in this response",
    operationId: 'adminCreateTenantApiKey',
    description:
      'Creates a live or test key for the tenant with scopes and optional caps (rate, monthly video-seconds, expiry). The secret appears only in this response; store it.',
  },
  adminRevokeTenantApiKey: {
    summary: "Revoke one of the tenant's API keys",
    operationId: 'adminRevokeTenantApiKey',
    description: "Revokes a tenant's key: refused from the next request on, everywhere.",
  },
} satisfies Record<string, ApiOperationOptions>;
