import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-erasure.controller.ts, kept here so the controller reads as a list of routes. */
export const adminErasureDocs = {
  adminEraseTenant: {
    summary: "Delete all of a tenant's videos and files (usage and invoices stay); admin only",
    operationId: 'adminEraseTenant',
    description: "`confirm` must repeat the tenant's id. Deletes at most ERASE_MAX_PER_REQUEST objects per call; call again while `has_more` is true.",
  },
} satisfies Record<string, ApiOperationOptions>;
