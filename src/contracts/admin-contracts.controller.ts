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
import { adminContractsDocs } from './admin-contracts.docs.js';

const WRITE_CODES = [
  'contract_price_negative',
  'contract_version_overlap',
  'contract_effective_in_past',
  'contract_currency_change',
  'contract_term_invalid',
  'plan_not_found',
  'plan_retired',
];

/** A tenant's contract: sales writes it (each change a new version), finance and support read it. Audited. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/tenants/:id/contract')
export class AdminContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @Roles('sales', 'finance', 'support')
  @ApiOperation(adminContractsDocs.adminGetContract)
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
  @ApiOperation(adminContractsDocs.adminCreateContractVersion)
  @ApiCreatedResponse({ type: ContractObject })
  async create(@Param('id') id: string, @Body() body: ContractInputDto, @Req() req: Request): Promise<ContractObject> {
    return presentContract(await this.contracts.create(actorOf(req), id, body));
  }

  @Post('renew')
  @HttpCode(201)
  @Roles('sales')
  @ProblemCodes('contract_not_found', ...WRITE_CODES)
  @ApiOperation(adminContractsDocs.adminRenewContract)
  @ApiCreatedResponse({ type: ContractObject })
  async renew(@Param('id') id: string, @Body() body: RenewContractDto, @Req() req: Request): Promise<ContractObject> {
    return presentContract(await this.contracts.renew(actorOf(req), id, { reprice: body.reprice ?? false, term_end: body.term_end }));
  }
}
