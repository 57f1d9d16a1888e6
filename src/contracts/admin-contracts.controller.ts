import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { ContractsService } from './contracts.service.js';
import { presentContract } from './contract.presenter.js';
import { ContractInputDto, RenewContractDto } from './dto/contract-input.dto.js';
import { ContractList, ContractObject } from './dto/contract.objects.js';

const WRITE_CODES = ['contract_price_negative', 'contract_version_overlap', 'contract_effective_in_past', 'contract_currency_change', 'contract_term_invalid', 'plan_not_found', 'plan_retired'];

/** A tenant's contract: sales writes it (each change a new version), finance and support read it. Audited. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/tenants/:id/contract')
export class AdminContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @Roles('sales', 'finance', 'support')
  @ApiOperation({ summary: "A tenant's contract versions and the one in force", operationId: 'adminGetContract', description: 'Every version of the rate card and terms, oldest first, and `current`: the one in force now (null before the first takes effect).' })
  @ApiOkResponse({ type: ContractList })
  async get(@Param('id') id: string): Promise<ContractList> {
    const versions = await this.contracts.versions(id);
    const now = Date.now();
    const current = versions.filter((v) => v.effectiveFrom.getTime() <= now).at(-1);
    return { object: 'list', data: versions.map(presentContract), has_more: false, current: current ? presentContract(current) : null };
  }

  @Post()
  @HttpCode(201)
  @Roles('sales')
  @ProblemCodes(...WRITE_CODES)
  @ApiOperation({
    summary: "Write the next version of a tenant's contract",
    operationId: 'adminCreateContractVersion',
    description: "Rate card (base fee, included seconds, overage per resolution), minimum commitment, discount, term, PO number, tax ids, billing email and limits. Fields left out carry over from the current version (the first version takes the plan's price). It starts at the next period boundary unless `effective_from` says otherwise; when it starts, its limits and plan become the tenant's. Refused whole (nothing written) when it would price below zero, overlap a version, start in the past or change the billing currency.",
  })
  @ApiCreatedResponse({ type: ContractObject })
  async create(@Param('id') id: string, @Body() body: ContractInputDto, @Req() req: Request): Promise<ContractObject> {
    return presentContract(await this.contracts.create(actorOf(req), id, body));
  }

  @Post('renew')
  @HttpCode(201)
  @Roles('sales')
  @ProblemCodes('contract_not_found', ...WRITE_CODES)
  @ApiOperation({ summary: 'Renew: the next term as a new version', operationId: 'adminRenewContract', description: "A version starting where the current term ends (now if it has), as long again unless `term_end` says. `reprice: true` puts it on the plan's current price (a grandfathered contract renews onto the new price)." })
  @ApiCreatedResponse({ type: ContractObject })
  async renew(@Param('id') id: string, @Body() body: RenewContractDto, @Req() req: Request): Promise<ContractObject> {
    return presentContract(await this.contracts.renew(actorOf(req), id, { reprice: body.reprice ?? false, term_end: body.term_end }));
  }
}
