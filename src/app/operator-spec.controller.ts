import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';

/** Set by createApiApp once the document is built from the app (it cannot exist before the app does). */
export const operatorSpecHolder: { document?: unknown } = {};

/** The whole spec, admin and treasury operations included: for operators only (the public one is /openapi.json). */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin')
export class OperatorSpecController {
  @Get('openapi.json')
  @Roles('sales', 'finance', 'support')
  @ApiOperation({
    summary: 'The operator OpenAPI spec: every operation, admin and treasury included',
    operationId: 'adminGetOperatorSpec',
    description: 'Any operator key. Customers get the public spec at `/openapi.json` (no key), which leaves the operator operations out.',
  })
  @ApiOkResponse({ description: 'The OpenAPI 3 document (this one).', schema: { type: 'object', additionalProperties: true } })
  spec(): unknown {
    return operatorSpecHolder.document;
  }
}
