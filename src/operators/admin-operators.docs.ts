import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-operators.controller.ts, kept here so the controller reads as a list of routes. */
export const adminOperatorsDocs = {
  adminCreateOperator: {
    summary: 'Create an operator and its first lk_op_ key (shown once)',
    operationId: 'adminCreateOperator',
    description:
      'Creates a platform operator with a role (admin, sales, support, finance, …) and its first `lk_op_` key, returned only in this response. Admin only.',
  },
  adminListOperators: {
    summary: 'List operators',
    operationId: 'adminListOperators',
    description: 'Every operator with role, status and key ids (never secrets).',
  },
  adminCreateOperatorKey: {
    summary: 'Create another key for an operator (shown once)',
    operationId: 'adminCreateOperatorKey',
    description: 'Adds a key for an operator, e.g. to rotate: create the new one, switch, revoke the old. The secret is returned only in this response.',
  },
  adminDisableOperator: {
    summary: 'Disable an operator: all their keys stop working at once',
    operationId: 'adminDisableOperator',
    description: 'Disables an operator: every key of theirs is refused from the next request on. Recorded in the audit log.',
  },
  adminRevokeOperatorKey: {
    summary: "Revoke an operator's key",
    operationId: 'adminRevokeOperatorKey',
    description: "Revokes one operator key; the operator's other keys keep working.",
  },
} satisfies Record<string, ApiOperationOptions>;
