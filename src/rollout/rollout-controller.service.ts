import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { acquireLease } from '../platform/database/lease.js';
import { EventOutbox, resourceUrl } from '../platform/outbox/event-outbox.js';
import { BackendFleet } from '../backends/index.js';
import { ModelRanking } from '../miners/index.js';
import { prefetchChallengers } from './actuators/kubernetes/prefetch.js';
import { prefetchEnv } from './actuators/kubernetes/prefetch.env.js';
import type { ModelTarget } from './actuator.js';
import { MODEL_ACTUATOR, type ModelActuator } from './actuator.js';
import { ModelRollout } from './model-rollout.entity.js';
import { OperatorNotice } from './operator-notice.entity.js';
import { plan, type RolloutEvent, type RolloutRow, type RolloutSettings, type Step } from './rollout-machine.js';
import { rolloutEnv } from './rollout.env.js';
import { RolloutWorld } from './rollout-world.js';

/** A lease row (platform/database/lease.ts): one reconcile pass at a time across every worker, behind PgBouncer too; a dead holder's lease runs out. */
const LEASE = 'rollout:reconcile';

export const rolloutSettings = (): RolloutSettings => {
  const env = rolloutEnv.get();
  return {
    minReady: env.ROLLOUT_MIN_READY_BACKENDS,
    retain: env.ROLLOUT_RETAIN_KINGS,
    drainDeadlineMs: env.ROLLOUT_DRAIN_DEADLINE_MS,
    stepTimeoutMs: env.ROLLOUT_STEP_TIMEOUT_MS,
    retryBaseMs: env.ROLLOUT_RETRY_BASE_MS,
    retryMaxMs: env.ROLLOUT_RETRY_MAX_MS,
  };
};

/** A step whose rows another writer (an operator, another pass) changed after the plan read them. */
class StaleStep extends Error {}

/**
 * The reconcile loop (worker role): reads the machines, the king and the backends, plans, and
 * applies each step in its own transaction, conditional on the states it planned from. Actuator
 * calls go before the commit, so a controller killed in between asks again on its next pass.
 */
@Injectable()
export class RolloutController implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RolloutController.name);
  private readonly loop = new PollLoop({
    name: 'rollout reconcile',
    run: () => this.reconcile(),
    next: () => rolloutEnv.get().ROLLOUT_RECONCILE_INTERVAL_MS,
    afterError: () => rolloutEnv.get().ROLLOUT_RECONCILE_INTERVAL_MS,
    logLevel: 'warn',
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(MODEL_ACTUATOR) private readonly actuator: ModelActuator,
    private readonly world: RolloutWorld,
    private readonly fleet: BackendFleet,
    private readonly outbox: EventOutbox,
    private readonly ranking: ModelRanking,
  ) {}

  /** What the last pass prefetched, so a challenger that left `live_duels` is retired (a restart forgets it; the next crowning retires the rest). */
  private prefetched: ModelTarget[] = [];

  onApplicationBootstrap(): void {
    if (rolloutEnv.get().ROLLOUT_RECONCILE_INTERVAL_MS > 0) this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; returns the steps applied, or null when another replica holds the lease. */
  async reconcile(now = new Date()): Promise<Step[] | null> {
    const lease = await acquireLease(this.db, LEASE);
    if (!lease) return null;
    try {
      const [stored, world] = await Promise.all([this.db.getRepository(ModelRollout).find(), this.world.read()]);
      const steps = plan(stored.map(toRow), world, rolloutSettings(), now, () => newId('rollout'));
      const applied: Step[] = [];
      for (const step of steps) {
        // A pass that lost its lease stops: the new holder plans from what is stored.
        if (lease.lost || !(await this.apply(step, now))) break;
        applied.push(step);
      }
      if (!lease.lost) await this.prefetch(stored.map(toRow));
      return applied;
    } finally {
      await lease.release();
    }
  }

  /**
   * The challengers now in `live_duels` get backends ahead of a crowning (ROLLOUT_PREFETCH_BACKENDS,
   * 0 by default), so crowning one costs a load and a warm-up, not a download. Models with a
   * rollout are the machines' to provision and retire, so they are kept out of it.
   */
  private async prefetch(rows: RolloutRow[]): Promise<void> {
    const env = prefetchEnv.get();
    if (env.ROLLOUT_PREFETCH_BACKENDS === 0 && this.prefetched.length === 0) return;
    const challengers = (await this.ranking.liveDuels()).map((c) => ({ repo: c.model_repo, digest: c.model_digest }));
    const keep = rows.filter((r) => r.state !== 'retired').map((r) => ({ repo: r.repo, digest: r.digest }));
    const done = await prefetchChallengers({
      actuator: this.actuator,
      challengers,
      previous: this.prefetched,
      keep,
      backendsPerChallenger: env.ROLLOUT_PREFETCH_BACKENDS,
      maxModels: env.ROLLOUT_PREFETCH_MAX_MODELS,
    });
    for (const { target, backends } of done.provisioned) await this.fleet.register(target, backends);
    this.prefetched = done.provisioned.map((p) => p.target);
  }

  private async apply(step: Step, now: Date): Promise<boolean> {
    try {
      for (const call of step.calls) {
        if (call.kind === 'provision')
          await this.fleet.register(call.target, await this.actuator.provision(call.target, { replicas: rolloutEnv.get().ROLLOUT_REPLICAS, purpose: 'serve' }));
        else {
          await this.actuator.retire(call.target);
          await this.fleet.disableDigest(call.target);
        }
      }
    } catch (e) {
      await this.failed(step, now, (e as Error).message);
      return false;
    }
    try {
      await this.db.transaction(async (tx) => {
        for (const { row, from } of step.changes) await (from === null ? insertRow(tx, row) : updateRow(tx, row, from));
        for (const event of step.events) await this.record(tx, event, step);
      });
    } catch (e) {
      if (e instanceof StaleStep) return false;
      throw e;
    }
    this.logger.log(step.reason);
    return true;
  }

  /** The actuator refused: the digest is `failed` and asked for again after a backoff. */
  private async failed(step: Step, now: Date, message: string): Promise<void> {
    const change = step.changes[0];
    if (!change || change.from === null) return;
    const s = rolloutSettings();
    const attempts = change.row.attempts + 1;
    const wait = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (attempts - 1));
    this.logger.warn(`${step.reason}: the actuator failed: ${message}`);
    await this.db
      .getRepository(ModelRollout)
      .update(
        { id: change.row.id, state: change.from },
        { state: 'failed', stateSince: now, attempts, nextAttemptAt: new Date(now.getTime() + wait), lastError: `actuator: ${message}`.slice(0, 500) },
      );
  }

  private async record(tx: EntityManager, event: RolloutEvent, step: Step): Promise<void> {
    if (event.kind === 'model_changed') {
      const subject = step.changes.find((c) => c.row.digest === event.to.digest)!.row;
      // A platform event: every tenant's endpoints subscribed to model.changed hear it once.
      await this.outbox.record(tx, {
        type: 'model.changed',
        tenantId: null,
        subjectId: subject.id,
        livemode: true,
        data: { id: subject.id, object: 'model_rollout', status: 'serving', url: resourceUrl('/v1/models'), previous: event.from, current: event.to },
      });
      return;
    }
    const env = rolloutEnv.get();
    await tx.insert(OperatorNotice, {
      id: newId('operatorNotice'),
      type: `rollout.${event.action}`,
      data: {
        action: event.action,
        repo: event.target.repo,
        digest: event.target.digest,
        actuator: this.actuator.kind,
        replicas: env.ROLLOUT_REPLICAS,
        reason: event.reason,
      },
      nextAttemptAt: new Date(),
    });
  }
}

export const toRow = (r: ModelRollout): RolloutRow => ({
  id: r.id,
  repo: r.repo,
  digest: r.digest,
  state: r.state,
  held: r.held,
  forced: r.forced,
  minerHotkey: r.minerHotkey,
  minerUid: r.minerUid,
  attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt,
  lastError: r.lastError,
  stateSince: r.stateSince,
  askedAt: r.askedAt,
  servedAt: r.servedAt,
  replacedAt: r.replacedAt,
});

async function insertRow(tx: EntityManager, row: RolloutRow): Promise<void> {
  const res = await tx.createQueryBuilder().insert().into(ModelRollout).values(row).orIgnore().execute();
  if ((res.raw as unknown[]).length === 0) throw new StaleStep();
}

/** Moves a row only if it is still where the plan saw it (state, and an operator's hold unchanged). */
async function updateRow(tx: EntityManager, row: RolloutRow, from: RolloutRow['state']): Promise<void> {
  const { id, held, ...values } = row;
  const res = await tx.update(ModelRollout, { id, state: from, held }, values);
  if (!res.affected) throw new StaleStep();
}
