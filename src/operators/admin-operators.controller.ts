import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { OperatorsService, presentOperator } from './operators.service.js';
import { actorOf } from '../audit/index.js';
import { CreateOperatorDto } from './dto/create-operator.dto.js';
import { OperatorKeyCreated, OperatorList, OperatorObject, OperatorWithKey } from './dto/operator.object.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { adminOperatorsDocs } from './admin-operators.docs.js';

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
  @ApiOperation(adminOperatorsDocs.adminCreateOperator)
  @ApiCreatedResponse({ type: OperatorWithKey })
  async create(@Body() body: CreateOperatorDto, @Req() req: Request): Promise<OperatorWithKey> {
    const { operator, key } = await this.operators.create(actorOf(req), body);
    return { ...presentOperator(operator), key_id: key.id, secret: key.secret };
  }

  @Get()
  @ApiOperation(adminOperatorsDocs.adminListOperators)
  @ApiOkResponse({ type: OperatorList })
  async list(): Promise<OperatorList> {
    return { object: 'list' as const, data: (await this.operators.list()).map(presentOperator), has_more: false };
  }

  @Post(':id/keys')
  @HttpCode(201)
  @ApiOperation(adminOperatorsDocs.adminCreateOperatorKey)
  @ApiCreatedResponse({ type: OperatorKeyCreated })
  async createKey(@Param('id') id: string, @Req() req: Request): Promise<OperatorKeyCreated> {
    const key = await this.operators.createKey(actorOf(req), id);
    return { object: 'operator_key' as const, id: key.id, operator_id: id, secret: key.secret };
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation(adminOperatorsDocs.adminDisableOperator)
  @ApiOkResponse({ type: OperatorObject })
  async disable(@Param('id') id: string, @Req() req: Request) {
    return presentOperator(await this.operators.disable(actorOf(req), id));
  }

  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  @ApiOperation(adminOperatorsDocs.adminRevokeOperatorKey)
  @ApiNoContentResponse({ description: 'Revoked.' })
  async revokeKey(@Param('id') id: string, @Param('keyId') keyId: string, @Req() req: Request): Promise<void> {
    await this.operators.revokeKey(actorOf(req), id, keyId);
  }
}
