import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { DeploymentList, RolloutList, RolloutObject } from './dto/rollout.object.js';
import { presentDeployment, presentRollout } from './rollout.presenter.js';
import { RolloutService, type RolloutCommand } from './rollout.service.js';
import { rolloutEnv } from './rollout.env.js';
import { adminRolloutsDocs } from './admin-rollouts.docs.js';

const DigestParam = () =>
  ApiParam({ name: 'digest', description: 'The model snapshot digest: `sha256:<64 hex>` (Hippius hub) or `hf:<40 hex>` (Hugging Face commit).' });

/** The rollover of the king's model: what each digest's machine is doing, what operators must deploy, and the operators' hold, force and rollback. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/rollouts')
export class AdminRolloutsController {
  constructor(private readonly rollouts: RolloutService) {}

  @Get()
  @ApiOperation(adminRolloutsDocs.adminListRollouts)
  @ApiOkResponse({ type: RolloutList })
  async list(): Promise<RolloutList> {
    const [rows, readings] = await Promise.all([this.rollouts.list(), this.rollouts.readings()]);
    return { object: 'list', data: rows.map((r) => presentRollout(r, readings.get(r.digest))), has_more: false };
  }

  @Get('deployments')
  @ApiOperation(adminRolloutsDocs.adminListDeployments)
  @ApiOkResponse({ type: DeploymentList })
  async deployments(): Promise<DeploymentList> {
    const [rows, readings] = await Promise.all([this.rollouts.list(), this.rollouts.readings()]);
    const env = rolloutEnv.get();
    return {
      object: 'list',
      actuator: env.ROLLOUT_ACTUATOR,
      data: rows.map((r) => presentDeployment(r, readings.get(r.digest), env.ROLLOUT_REPLICAS)),
      has_more: false,
    };
  }

  @Get(':digest')
  @DigestParam()
  @ProblemCodes('rollout_not_found')
  @ApiOperation(adminRolloutsDocs.adminGetRollout)
  @ApiOkResponse({ type: RolloutObject })
  async get(@Param('digest') digest: string): Promise<RolloutObject> {
    const [row, readings] = await Promise.all([this.rollouts.get(digest), this.rollouts.readings()]);
    return presentRollout(row, readings.get(digest));
  }

  @Post(':digest/hold')
  @DigestParam()
  @HttpCode(200)
  @Roles()
  @ProblemCodes('rollout_not_found')
  @ApiOperation(adminRolloutsDocs.adminHoldRollout)
  @ApiOkResponse({ type: RolloutObject })
  hold(@Param('digest') digest: string, @Req() req: Request): Promise<RolloutObject> {
    return this.run(req, digest, 'hold');
  }

  @Post(':digest/release')
  @DigestParam()
  @HttpCode(200)
  @Roles()
  @ProblemCodes('rollout_not_found')
  @ApiOperation(adminRolloutsDocs.adminReleaseRollout)
  @ApiOkResponse({ type: RolloutObject })
  release(@Param('digest') digest: string, @Req() req: Request): Promise<RolloutObject> {
    return this.run(req, digest, 'release');
  }

  @Post(':digest/force')
  @DigestParam()
  @HttpCode(200)
  @Roles()
  @ProblemCodes('rollout_not_found')
  @ApiOperation(adminRolloutsDocs.adminForceRollout)
  @ApiOkResponse({ type: RolloutObject })
  force(@Param('digest') digest: string, @Req() req: Request): Promise<RolloutObject> {
    return this.run(req, digest, 'force');
  }

  @Post(':digest/rollback')
  @DigestParam()
  @HttpCode(200)
  @Roles()
  @ProblemCodes('rollout_not_found', 'rollout_not_retained', 'rollout_not_ready')
  @ApiOperation(adminRolloutsDocs.adminRollbackRollout)
  @ApiOkResponse({ type: RolloutObject })
  rollback(@Param('digest') digest: string, @Req() req: Request): Promise<RolloutObject> {
    return this.run(req, digest, 'rollback');
  }

  private async run(req: Request, digest: string, command: RolloutCommand): Promise<RolloutObject> {
    const row = await this.rollouts.command(actorOf(req), digest, command);
    return presentRollout(row, (await this.rollouts.readings()).get(digest));
  }
}
