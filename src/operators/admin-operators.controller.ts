import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { OperatorsService, presentOperator } from './operators.service.js';
import { actorOf } from '../audit/index.js';
import { CreateOperatorDto } from './dto/create-operator.dto.js';
import { OperatorKeyCreated, OperatorList, OperatorObject, OperatorWithKey } from './dto/operator.object.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';

/** Staff accounts: admins only. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Roles()
@Controller('v1/admin/operators')
export class AdminOperatorsController {
  constructor(private readonly operators: OperatorsService) {}

  @Post()
  @HttpCode(201)
  @ProblemCodes('operator_exists')
  @ApiOperation({ summary: 'Create an operator and its first lk_op_ key (shown once)', operationId: 'adminCreateOperator', description: "Creates a platform operator with a role (admin, sales, support, finance, …) and its first `lk_op_` key, returned only in this response. Admin only." })
  @ApiCreatedResponse({ type: OperatorWithKey })
  async create(@Body() body: CreateOperatorDto, @Req() req: Request): Promise<OperatorWithKey> {
    const { operator, key } = await this.operators.create(actorOf(req), body);
    return { ...presentOperator(operator), key_id: key.id, secret: key.secret };
  }

  @Get()
  @ApiOperation({ summary: 'List operators', operationId: 'adminListOperators', description: "Every operator with role, status and key ids (never secrets)." })
  @ApiOkResponse({ type: OperatorList })
  async list(): Promise<OperatorList> {
    return { object: 'list' as const, data: (await this.operators.list()).map(presentOperator), has_more: false };
  }

  @Post(':id/keys')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create another key for an operator (shown once)', operationId: 'adminCreateOperatorKey', description: "Adds a key for an operator, e.g. to rotate: create the new one, switch, revoke the old. The secret is returned only in this response." })
  @ApiCreatedResponse({ type: OperatorKeyCreated })
  async createKey(@Param('id') id: string, @Req() req: Request): Promise<OperatorKeyCreated> {
    const key = await this.operators.createKey(actorOf(req), id);
    return { object: 'operator_key' as const, id: key.id, operator_id: id, secret: key.secret };
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an operator: all their keys stop working at once', operationId: 'adminDisableOperator', description: "Disables an operator: every key of theirs is refused from the next request on. Recorded in the audit log." })
  @ApiOkResponse({ type: OperatorObject })
  async disable(@Param('id') id: string, @Req() req: Request) {
    return presentOperator(await this.operators.disable(actorOf(req), id));
  }

  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke an operator's key", operationId: 'adminRevokeOperatorKey', description: "Revokes one operator key; the operator's other keys keep working." })
  @ApiNoContentResponse({ description: 'Revoked.' })
  async revokeKey(@Param('id') id: string, @Param('keyId') keyId: string, @Req() req: Request): Promise<void> {
    await this.operators.revokeKey(actorOf(req), id, keyId);
  }
}
