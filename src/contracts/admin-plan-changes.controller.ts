import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { planLimits } from '../core/limits/effective-limits.js';
import { actorOf } from '../audit/index.js';
import { PlansService, type Plan } from '../plans/index.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { PlanCatalogue, priceView } from './plan-catalogue.service.js';
import { CreatePlanDto, PublishPlanPriceDto, UpdatePlanDto, type PlanLimitsDto } from './dto/plan-input.dto.js';
import { PlanDetailObject, PublishedPriceObject } from './dto/contract.objects.js';
import { adminPlanChangesDocs } from './admin-plan-changes.docs.js';

const columns = (l: Partial<PlanLimitsDto>): Partial<Plan> => {
  const map: [keyof PlanLimitsDto, keyof Plan][] = [
    ['included_video_seconds', 'includedVideoSeconds'],
    ['overage_allowed', 'overageAllowed'],
    ['requests_per_minute', 'requestsPerMinute'],
    ['concurrent_videos', 'concurrentVideos'],
    ['max_duration_seconds', 'maxDurationSeconds'],
    ['max_resolution', 'maxResolution'],
    ['max_batch_size', 'maxBatchSize'],
    ['retention_days', 'retentionDays'],
    ['queue_priority', 'queuePriority'],
    ['uploads_per_day', 'uploadsPerDay'],
    ['uploads_per_month', 'uploadsPerMonth'],
    ['max_queue_seconds', 'maxQueueSeconds'],
    ['max_queued_videos', 'maxQueuedVideos'],
    ['batch_complete_seconds', 'batchCompleteSeconds'],
  ];
  return Object.fromEntries(map.filter(([k]) => l[k] !== undefined).map(([k, c]) => [c, l[k]]));
};

/** Plans as data: sales creates, changes, prices and retires plans; every role reads. Audited. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/plans')
export class AdminPlanChangesController {
  constructor(
    private readonly plans: PlansService,
    private readonly catalogue: PlanCatalogue,
  ) {}

  private async present(p: Plan): Promise<PlanDetailObject> {
    const versions = await this.plans.versions(p.code);
    return {
      object: 'plan',
      code: p.code,
      name: p.name,
      self_serve: p.selfServe,
      limits: planLimits(p),
      retired_at: p.retiredAt?.toISOString() ?? null,
      versions: versions.map(priceView),
    };
  }

  @Post()
  @HttpCode(201)
  @Roles('sales')
  @ProblemCodes('plan_exists', 'plan_price_invalid')
  @ApiOperation(adminPlanChangesDocs.adminCreatePlan)
  @ApiCreatedResponse({ type: PlanDetailObject })
  async create(@Body() body: CreatePlanDto, @Req() req: Request): Promise<PlanDetailObject> {
    const plan = {
      code: body.code,
      name: body.name,
      selfServe: body.self_serve ?? false,
      ...(columns(body.limits) as Omit<Plan, 'code' | 'name' | 'selfServe' | 'retiredAt'>),
    };
    const price = body.price
      ? {
          currency: body.price.currency,
          baseMinor: body.price.base_amount,
          overageMinorPerSecond: { ...body.price.overage_per_second } as Record<'480p' | '720p', number>,
        }
      : null;
    return this.present(await this.catalogue.create(actorOf(req), plan, price));
  }

  @Get(':code')
  @Roles('sales', 'finance', 'support')
  @ProblemCodes('plan_not_found')
  @ApiOperation(adminPlanChangesDocs.adminGetPlan)
  @ApiOkResponse({ type: PlanDetailObject })
  async get(@Param('code') code: string): Promise<PlanDetailObject> {
    return this.present(await this.plans.get(code));
  }

  @Patch(':code')
  @Roles('sales')
  @ProblemCodes('plan_not_found', 'plan_retired')
  @ApiOperation(adminPlanChangesDocs.adminUpdatePlan)
  @ApiOkResponse({ type: PlanDetailObject })
  async update(@Param('code') code: string, @Body() body: UpdatePlanDto, @Req() req: Request): Promise<PlanDetailObject> {
    const patch = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.self_serve !== undefined ? { selfServe: body.self_serve } : {}),
      ...columns(body.limits ?? {}),
    };
    return this.present(await this.catalogue.update(actorOf(req), code, patch));
  }

  @Post(':code/versions')
  @HttpCode(201)
  @Roles('sales')
  @ProblemCodes('plan_not_found', 'plan_retired', 'plan_version_overlap', 'plan_version_in_past', 'plan_currency_change', 'plan_price_invalid')
  @ApiOperation(adminPlanChangesDocs.adminPublishPlanPrice)
  @ApiCreatedResponse({ type: PublishedPriceObject })
  async publish(@Param('code') code: string, @Body() body: PublishPlanPriceDto, @Req() req: Request): Promise<PublishedPriceObject> {
    const { version, grandfathered } = await this.catalogue.publish(actorOf(req), code, {
      currency: body.currency,
      baseMinor: body.base_amount,
      overageMinorPerSecond: { ...body.overage_per_second } as Record<'480p' | '720p', number>,
      ...(body.effective_from ? { effectiveFrom: new Date(body.effective_from) } : {}),
    });
    return { object: 'plan_version', ...priceView(version), grandfathered };
  }

  @Post(':code/retire')
  @HttpCode(200)
  @Roles('sales')
  @ProblemCodes('plan_not_found', 'plan_retired', 'plan_in_use')
  @ApiOperation(adminPlanChangesDocs.adminRetirePlan)
  @ApiOkResponse({ type: PlanDetailObject })
  async retire(@Param('code') code: string, @Req() req: Request): Promise<PlanDetailObject> {
    return this.present(await this.catalogue.retire(actorOf(req), code));
  }
}
