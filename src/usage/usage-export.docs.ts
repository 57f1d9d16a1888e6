import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of usage-export.controller.ts, kept here so the controller reads as a list of routes. */
export const usageExportDocs = {
  exportUsage: {
    summary: 'Every usage row of a time range (video, key, seconds, resolution, cost), streamed as CSV or JSON lines',
    operationId: 'exportUsage',
    description:
      'Streams every usage row of `from`..`to` (video id, key, seconds, resolution, cost, created_at) as `format=csv` or `jsonl`, for your own reconciliation; the rows sum to `GET /v1/usage` for the same period. A key sees the rows of its own mode (live or test).',
  },
  adminExportUsage: {
    summary: 'Usage rows across tenants (or one), streamed as CSV or JSON lines',
    operationId: 'adminExportUsage',
    description: 'Operators: the usage rows of every tenant (or `tenant_id`) in a time range, streamed as CSV or JSON lines.',
  },
} satisfies Record<string, ApiOperationOptions>;
