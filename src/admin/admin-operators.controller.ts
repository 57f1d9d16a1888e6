import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../auth/auth.decorators.js';
import { OperatorsService, presentOperator } from '../operators/operators.service.js';
import { PlansService } from '../plans/plans.service.js';
import { planLimits } from '../plans/effective-limits.js';
import { actorOf } from '../audit/actor.js';
import { CreateOperatorDto } from './dto/admin-inputs.dto.js';
import { OperatorKeyCreated, OperatorList, OperatorObject, OperatorWithKey } from '../operators/dto/operator.object.js';
import { PlanList } from '../plans/dto/limits.object.js';

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
  @ApiOperation({ summary: 'Create an operator and its first lk_op_ key (shown once)', operationId: 'adminCreateOperator' })
  @ApiCreatedResponse({ type: OperatorWithKey })
  async create(@Body() body: CreateOperatorDto, @Req() req: Request): Promise<OperatorWithKey> {
    const { operator, key } = await this.operators.create(actorOf(req), body);
    return { ...presentOperator(operator), key_id: key.id, secret: key.secret };
  }

  @Get()
  @ApiOperation({ summary: 'List operators', operationId: 'adminListOperators' })
  @ApiOkResponse({ type: OperatorList })
  async list(): Promise<OperatorList> {
    return { object: 'list' as const, data: (await this.operators.list()).map(presentOperator), has_more: false };
  }

  @Post(':id/keys')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create another key for an operator (shown once)', operationId: 'adminCreateOperatorKey' })
  @ApiCreatedResponse({ type: OperatorKeyCreated })
  async createKey(@Param('id') id: string, @Req() req: Request): Promise<OperatorKeyCreated> {
    const key = await this.operators.createKey(actorOf(req), id);
    return { object: 'operator_key' as const, id: key.id, operator_id: id, secret: key.secret };
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an operator: all their keys stop working at once', operationId: 'adminDisableOperator' })
  @ApiOkResponse({ type: OperatorObject })
  async disable(@Param('id') id: string, @Req() req: Request) {
    return presentOperator(await this.operators.disable(actorOf(req), id));
  }

  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke an operator's key", operationId: 'adminRevokeOperatorKey' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  async revokeKey(@Param('id') id: string, @Param('keyId') keyId: string, @Req() req: Request): Promise<void> {
    await this.operators.revokeKey(actorOf(req), id, keyId);
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Roles('sales', 'finance', 'support')
@Controller('v1/admin/plans')
export class AdminPlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @ApiOperation({ summary: 'List plans and their limits', operationId: 'adminListPlans' })
  @ApiOkResponse({ type: PlanList })
  async list(): Promise<PlanList> {
    return { object: 'list' as const, data: (await this.plans.list()).map((p) => ({ object: 'plan' as const, code: p.code, name: p.name, limits: planLimits(p) })), has_more: false };
  }
}
