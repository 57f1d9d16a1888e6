import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of audit.controllers.ts, kept here so the controller reads as a list of routes. */
export const auditDocs = {
  adminListAuditLog: {
    summary: 'Audit log across tenants, newest first, with filters',
    operationId: 'adminListAuditLog',
    description:
      'Audit entries across tenants and operators, newest first; filter by tenant, actor, action and time. Each entry is hash-chained to the one before it.',
  },
  adminVerifyAuditLog: {
    summary: "Re-computes a chain's hashes and reports the first entry that does not match",
    operationId: 'adminVerifyAuditLog',
    description: "Re-computes a chain's hashes from the first entry and reports the first one that does not match: evidence that the log was not edited.",
  },
  listAuditLog: {
    summary: "The tenant's own audit log: changes to its account and keys, by it or by us",
    operationId: 'listAuditLog',
    description: "Changes to the calling tenant's account and keys, by the tenant itself or by our operators, newest first.",
  },
} satisfies Record<string, ApiOperationOptions>;
