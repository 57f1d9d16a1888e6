import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { planLimits } from '../core/limits/effective-limits.js';
import { PlansService } from './plans.service.js';
import { PlanList } from './dto/limits.object.js';
import { adminPlansDocs } from './admin-plans.docs.js';

/** The plan catalogue as operators see it; every role may read it. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Roles('sales', 'finance', 'support')
@Controller('v1/admin/plans')
export class AdminPlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @ApiOperation(adminPlansDocs.adminListPlans)
  @ApiOkResponse({ type: PlanList })
  async list(): Promise<PlanList> {
    return {
      object: 'list' as const,
      data: (await this.plans.list()).map((p) => ({ object: 'plan' as const, code: p.code, name: p.name, self_serve: p.selfServe, limits: planLimits(p) })),
      has_more: false,
    };
  }
}
