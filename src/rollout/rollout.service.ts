import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Not, type DataSource, type EntityManager } from 'typeorm';
import { AuditService, type Actor } from '../audit/index.js';
import { BackendFleet, type ServedModel, type ServedModelSource } from '../backends/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { EventOutbox, resourceUrl } from '../platform/outbox/event-outbox.js';
import type { ModelTarget } from './actuator.js';
import { ModelRollout } from './model-rollout.entity.js';
import { keptDigests, targetOf, type DigestReadings } from './rollout-machine.js';
import { toRow } from './rollout-controller.service.js';
import { digestReadings } from './rollout-world.js';
import { rolloutEnv } from './rollout.env.js';

export type RolloutCommand = 'hold' | 'release' | 'force' | 'rollback';

/** The rollouts as the API, dispatch and operators see them, and the operators' commands (audited, each in one transaction). */
@Injectable()
export class RolloutService implements ServedModelSource {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly fleet: BackendFleet,
    private readonly outbox: EventOutbox,
  ) {}

  /** The model "winner" videos are made by; null before any king has served (dispatch then follows the ranking). */
  async served(): Promise<ServedModel | null> {
    const row = await this.db.getRepository(ModelRollout).findOneBy({ state: 'serving' });
    return row && { repo: row.repo, digest: row.digest, minerHotkey: row.minerHotkey, minerUid: row.minerUid };
  }

  /** The earlier kings kept loaded for rollback and pins (the last ROLLOUT_RETAIN_KINGS; the serving one is `served()`). */
  async retained(): Promise<ModelTarget[]> {
    const rows = (await this.list()).map(toRow);
    const kept = new Set(keptDigests(rows, null, rolloutEnv.get().ROLLOUT_RETAIN_KINGS));
    return rows.filter((r) => r.state === 'ready' && r.servedAt !== null && kept.has(r.digest)).map(targetOf);
  }

  /** Every digest not retired, newest first. */
  list(opts: { includeRetired?: boolean } = {}): Promise<ModelRollout[]> {
    return this.db.getRepository(ModelRollout).find({ where: opts.includeRetired ? {} : { state: Not('retired') }, order: { createdAt: 'DESC' } });
  }

  async get(digest: string): Promise<ModelRollout> {
    const row = await this.db.getRepository(ModelRollout).findOneBy({ digest });
    if (!row) throw new DomainError('rollout_not_found', `No rollout for ${digest}.`);
    return row;
  }

  /** What the backends report per digest (for the admin listing of what to deploy). */
  async readings(): Promise<Map<string, DigestReadings>> {
    return digestReadings(await this.fleet.members());
  }

  /**
   * hold: never made the served model until released. release: the hold ends. force: made the
   * served model as soon as one backend is READY with it (instead of N). rollback: a retained
   * earlier king serves again at once, and the digest it replaces is held so the loop does not
   * switch back.
   */
  async command(actor: Actor, digest: string, command: RolloutCommand): Promise<ModelRollout> {
    if (command === 'rollback') return this.rollback(actor, digest);
    return this.db.transaction(async (tx) => {
      const row = await this.locked(tx, digest);
      const before = { held: row.held, forced: row.forced };
      const after = command === 'hold' ? { held: true, forced: false } : command === 'release' ? { held: false } : { held: false, forced: true };
      await tx.update(ModelRollout, { id: row.id }, after);
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: `rollout.${command}`,
        targetType: 'model_rollout',
        targetId: row.id,
        before,
        after: { ...before, ...after, digest },
      });
      return tx.findOneByOrFail(ModelRollout, { id: row.id });
    });
  }

  private async rollback(actor: Actor, digest: string): Promise<ModelRollout> {
    const ready = (await this.readings()).get(digest)?.ready ?? 0;
    const retained = new Set((await this.retained()).map((t) => t.digest));
    return this.db.transaction(async (tx) => {
      const target = await this.locked(tx, digest);
      if (target.state === 'serving') return target;
      if (!retained.has(digest) || target.state !== 'ready')
        throw new DomainError(
          'rollout_not_retained',
          `${digest} is ${target.state}, not one of the last ${rolloutEnv.get().ROLLOUT_RETAIN_KINGS} kings kept loaded.`,
        );
      if (ready === 0)
        throw new DomainError('rollout_not_ready', `No backend is READY and reporting ${digest}; rolling back now would leave no model serving.`);
      const now = new Date();
      const current = await tx.createQueryBuilder(ModelRollout, 'r').setLock('pessimistic_write').where("r.state = 'serving'").getOne();
      if (current) await tx.update(ModelRollout, { id: current.id }, { state: 'ready', stateSince: now, replacedAt: now, held: true, forced: false });
      await tx.update(ModelRollout, { id: target.id }, { state: 'serving', stateSince: now, servedAt: now, held: false, forced: false });
      await this.outbox.record(tx, {
        type: 'model.changed',
        tenantId: null,
        subjectId: target.id,
        livemode: true,
        data: {
          id: target.id,
          object: 'model_rollout',
          status: 'serving',
          url: resourceUrl('/v1/models'),
          previous: current ? targetOf(current) : null,
          current: targetOf(target),
        },
      });
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'rollout.rollback',
        targetType: 'model_rollout',
        targetId: target.id,
        before: { serving: current?.digest ?? null },
        after: { serving: digest, held: current?.digest ?? null },
      });
      return tx.findOneByOrFail(ModelRollout, { id: target.id });
    });
  }

  private async locked(tx: EntityManager, digest: string): Promise<ModelRollout> {
    const row = await tx.createQueryBuilder(ModelRollout, 'r').setLock('pessimistic_write').where('r.digest = :digest', { digest }).getOne();
    if (!row) throw new DomainError('rollout_not_found', `No rollout for ${digest}.`);
    return row;
  }
}
