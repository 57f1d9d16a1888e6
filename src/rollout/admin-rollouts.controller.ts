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

const DigestParam = () => ApiParam({ name: 'digest', description: 'The model snapshot digest: `sha256:<64 hex>` (Hippius hub) or `hf:<40 hex>` (Hugging Face commit).' });

/** The rollover of the king's model: what each digest's machine is doing, what operators must deploy, and the operators' hold, force and rollback. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/rollouts')
export class AdminRolloutsController {
  constructor(private readonly rollouts: RolloutService) {}

  @Get()
  @ApiOperation({ summary: 'Every model digest being rolled out, served, kept or drained, newest first', operationId: 'adminListRollouts', description: 'One state machine per digest (`desired → fetching → loading → warming → ready → serving → draining → retired`, and `failed`), with what its backends report now. Retired digests are left out.' })
  @ApiOkResponse({ type: RolloutList })
  async list(): Promise<RolloutList> {
    const [rows, readings] = await Promise.all([this.rollouts.list(), this.rollouts.readings()]);
    return { object: 'list', data: rows.map((r) => presentRollout(r, readings.get(r.digest))), has_more: false };
  }

  @Get('deployments')
  @ApiOperation({ summary: 'What operators must deploy, keep and remove (the manual actuator)', operationId: 'adminListDeployments', description: 'With `ROLLOUT_ACTUATOR=manual`, operators run the GPU backends: this lists each digest to deploy (register its backends with `model_revision` set to the digest), keep running, or remove. The same notices go to `OPERATOR_WEBHOOK_URL`.' })
  @ApiOkResponse({ type: DeploymentList })
  async deployments(): Promise<DeploymentList> {
    const [rows, readings] = await Promise.all([this.rollouts.list(), this.rollouts.readings()]);
    const env = rolloutEnv.get();
    return { object: 'list', actuator: env.ROLLOUT_ACTUATOR, data: rows.map((r) => presentDeployment(r, readings.get(r.digest), env.ROLLOUT_REPLICAS)), has_more: false };
  }

  @Get(':digest')
  @DigestParam()
  @ProblemCodes('rollout_not_found')
  @ApiOperation({ summary: "One digest's rollout", operationId: 'adminGetRollout', description: 'The machine of one digest (`sha256:…` or `hf:…`), retired or not.' })
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
  @ApiOperation({ summary: 'Hold a digest: it is not made the served model until released', operationId: 'adminHoldRollout', description: 'The previous king keeps serving; the held digest keeps loading. Admin only; audited.' })
  @ApiOkResponse({ type: RolloutObject })
  hold(@Param('digest') digest: string, @Req() req: Request): Promise<RolloutObject> {
    return this.run(req, digest, 'hold');
  }

  @Post(':digest/release')
  @DigestParam()
  @HttpCode(200)
  @Roles()
  @ProblemCodes('rollout_not_found')
  @ApiOperation({ summary: 'Release a hold', operationId: 'adminReleaseRollout', description: 'The digest is made the served model again once the rules allow (the king, ROLLOUT_MIN_READY_BACKENDS READY). Admin only; audited.' })
  @ApiOkResponse({ type: RolloutObject })
  release(@Param('digest') digest: string, @Req() req: Request): Promise<RolloutObject> {
    return this.run(req, digest, 'release');
  }

  @Post(':digest/force')
  @DigestParam()
  @HttpCode(200)
  @Roles()
  @ProblemCodes('rollout_not_found')
  @ApiOperation({ summary: 'Force the king over with one READY backend', operationId: 'adminForceRollout', description: 'The crowned digest takes over as soon as one backend is READY and reports it, instead of ROLLOUT_MIN_READY_BACKENDS (never with none: there is no window without a model). Clears a hold. Admin only; audited.' })
  @ApiOkResponse({ type: RolloutObject })
  force(@Param('digest') digest: string, @Req() req: Request): Promise<RolloutObject> {
    return this.run(req, digest, 'force');
  }

  @Post(':digest/rollback')
  @DigestParam()
  @HttpCode(200)
  @Roles()
  @ProblemCodes('rollout_not_found', 'rollout_not_retained', 'rollout_not_ready')
  @ApiOperation({ summary: 'Roll back: a kept earlier king serves again at once', operationId: 'adminRollbackRollout', description: 'The digest (one of the last ROLLOUT_RETAIN_KINGS kings, with a backend READY) becomes the served model in one transaction; the digest it replaces is held so the loop does not switch back (release it to roll forward). Sends `model.changed`. Admin only; audited.' })
  @ApiOkResponse({ type: RolloutObject })
  rollback(@Param('digest') digest: string, @Req() req: Request): Promise<RolloutObject> {
    return this.run(req, digest, 'rollback');
  }

  private async run(req: Request, digest: string, command: RolloutCommand): Promise<RolloutObject> {
    const row = await this.rollouts.command(actorOf(req), digest, command);
    return presentRollout(row, (await this.rollouts.readings()).get(digest));
  }
}
