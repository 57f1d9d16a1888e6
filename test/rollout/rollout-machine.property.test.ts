import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { plan, keptDigests, type RolloutRow, type RolloutSettings, type Step } from '../../src/rollout/rollout-machine.js';
import { digestReadings } from '../../src/rollout/rollout-world.js';
import { reportsReady, type BackendTarget, type HealthReading } from '../../src/backends/index.js';
import type { ActuatorBackend, ModelActuator, ModelTarget } from '../../src/rollout/actuator.js';

/**
 * The rollout controller's planner driven through random orders of events — crownings, backends
 * starting, progressing, crashing, videos submitted and finishing, the clock moving, operators
 * holding and forcing, and controllers killed in the middle of a pass — against a fake clock, fake
 * backends and a fake actuator (the outside world). Steps are applied as the controller applies
 * them: actuator calls first, then the rows, each step only if its rows are still where it saw them.
 */

const RUNS = Number(process.env.ROLLOUT_PROPERTY_RUNS ?? 300);
const DIGESTS = ['a', 'b', 'c'].map((x) => `sha256:${x.repeat(64)}`);
const target = (i: number): ModelTarget => ({ repo: `miner/model-${i}`, digest: DIGESTS[i]! });
const BASE: RolloutSettings = { minReady: 2, retain: 1, drainDeadlineMs: 60_000, stepTimeoutMs: 600_000, retryBaseMs: 1_000, retryMaxMs: 8_000 };
let SETTINGS = BASE;
/** How often the interesting things happened across the runs: a property that never exercises a switch or a drain proves nothing. */
const seen = { switches: 0, drainedWithVideos: 0, retiredAfterDeadline: 0, kills: 0 };

type Phase = 'fetching' | 'loading' | 'warming' | 'ready' | 'down';
interface SimBackend {
  id: string;
  digest: string;
  repo: string;
  phase: Phase;
  removed: boolean;
}
interface SimVideo {
  id: number;
  backend: string;
  digest: string;
}

type Event =
  | { kind: 'crown'; model: number }
  | { kind: 'deploy'; model: number; phase: Phase }
  | { kind: 'advance'; backend: number }
  | { kind: 'crash'; backend: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'reconcile'; killAfter: number | null }
  | { kind: 'submit' }
  | { kind: 'finish'; video: number }
  | { kind: 'operator'; model: number; action: 'hold' | 'release' | 'force' };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ kind: fc.constant('crown' as const), model: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('deploy' as const), model: fc.integer({ min: 0, max: 2 }), phase: fc.constantFrom<Phase>('fetching', 'warming', 'ready') }),
  fc.record({ kind: fc.constant('advance' as const), backend: fc.nat(20) }),
  fc.record({ kind: fc.constant('advance' as const), backend: fc.nat(20) }),
  fc.record({ kind: fc.constant('crash' as const), backend: fc.nat(20) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 120_000 }) }),
  fc.record({ kind: fc.constant('reconcile' as const), killAfter: fc.option(fc.nat(4), { freq: 3 }) }),
  fc.record({ kind: fc.constant('reconcile' as const), killAfter: fc.constant(null) }),
  fc.record({ kind: fc.constant('submit' as const) }),
  fc.record({ kind: fc.constant('finish' as const), video: fc.nat(30) }),
  fc.record({
    kind: fc.constant('operator' as const),
    model: fc.integer({ min: 0, max: 2 }),
    action: fc.constantFrom('hold' as const, 'release' as const, 'force' as const),
  }),
);

class World {
  now = new Date('2026-12-06T12:00:00Z');
  king: number = 0;
  /** The stored machines: what a new controller reads after the old one was killed. */
  rows: RolloutRow[] = [];
  backends: SimBackend[] = [];
  videos: SimVideo[] = [];
  nextVideo = 0;
  ids = 0;
  retired: { digest: string; at: Date; inFlight: number; drainingSince: Date | null }[] = [];
  readonly actuator: ModelActuator & { calls: string[] };

  constructor() {
    const world = this;
    this.actuator = {
      kind: 'manual',
      calls: [],
      async provision(t: ModelTarget): Promise<ActuatorBackend[]> {
        this.calls.push(`provision ${t.digest}`);
        return [];
      },
      async retire(t: ModelTarget): Promise<void> {
        this.calls.push(`retire ${t.digest}`);
        const row = world.rows.find((r) => r.digest === t.digest);
        world.retired.push({
          digest: t.digest,
          at: world.now,
          inFlight: world.videos.filter((v) => v.digest === t.digest).length,
          drainingSince: row?.state === 'draining' ? row.stateSince : null,
        });
        for (const b of world.backends) if (b.digest === t.digest) b.removed = true;
        // Its backends are gone: calls still on them (after the drain deadline) fail over elsewhere.
        world.videos = world.videos.filter((v) => v.digest !== t.digest);
      },
    };
  }

  reading(b: SimBackend): HealthReading | undefined {
    if (b.removed) return undefined;
    const status = b.phase === 'ready' ? 'ready' : b.phase === 'down' ? 'down' : 'starting';
    return {
      status,
      model: { repo: b.repo, digest: b.digest },
      renderer: 'test-card',
      progress: { phase: b.phase === 'down' ? 'failed' : b.phase, bytes_done: 0, bytes_total: null, detail: null },
      checked_at: this.now.toISOString(),
    };
  }

  members() {
    return this.backends.map((b) => ({
      backend: {
        id: b.id,
        url: 'http://127.0.0.1:1',
        protocol: 'cog',
        model: b.repo,
        modelRevision: b.digest,
        maxConcurrency: 4,
        authHeader: null,
        source: 'api',
      } satisfies BackendTarget,
      reading: this.reading(b),
      inFlight: this.videos.filter((v) => v.backend === b.id).length,
    }));
  }

  readyCount(digest: string): number {
    return this.backends.filter((b) => reportsReady(this.reading(b), digest)).length;
  }

  serving(): RolloutRow | undefined {
    return this.rows.find((r) => r.state === 'serving');
  }

  /** As RolloutController.apply: the calls, then the rows if they are still where the plan saw them. */
  async reconcile(killAfter: number | null): Promise<Step[]> {
    const t = target(this.king);
    const steps = plan(
      this.rows,
      { king: { ...t, minerHotkey: null, minerUid: null }, digests: digestReadings(this.members()) },
      SETTINGS,
      this.now,
      () => `rol_${this.ids++}`,
    );
    const applied: Step[] = [];
    for (const [i, step] of steps.entries()) {
      for (const call of step.calls)
        await (call.kind === 'provision' ? this.actuator.provision(call.target, { replicas: 2, purpose: 'serve' }) : this.actuator.retire(call.target));
      if (killAfter !== null && i === killAfter) return applied; // killed after the calls, before the commit
      const stale = step.changes.some(({ row, from }) => {
        const stored = this.rows.find((r) => r.id === row.id);
        return from === null ? stored !== undefined : stored?.state !== from || stored.held !== row.held;
      });
      if (stale) break;
      for (const { row } of step.changes) this.rows = [...this.rows.filter((r) => r.id !== row.id), row];
      expect(this.rows.filter((r) => r.state === 'serving').length).toBeLessThanOrEqual(1);
      applied.push(step);
    }
    return applied;
  }

  /** A "winner" video, dispatched as Dispatcher does for a served model: only to a backend READY and reporting its digest. */
  submit(): void {
    const served = this.serving();
    if (!served) return;
    const candidates = this.backends.filter((b) => reportsReady(this.reading(b), served.digest));
    if (!candidates.length) return; // it waits for capacity; it is not sent anywhere else
    const b = candidates[this.nextVideo % candidates.length]!;
    expect(b.phase).toBe('ready');
    expect(b.removed).toBe(false);
    expect(b.digest).toBe(served.digest);
    this.videos.push({ id: this.nextVideo++, backend: b.id, digest: b.digest });
  }
}

async function run(settings: { minReady: number; retain: number }, events: Event[]): Promise<void> {
  SETTINGS = { ...BASE, ...settings };
  const w = new World();
  // The old king serves on N READY backends before anything happens.
  for (let i = 0; i < SETTINGS.minReady; i++) w.backends.push({ id: `b${i}`, ...target(0), phase: 'ready', removed: false });
  await w.reconcile(null);
  expect(w.serving()?.digest).toBe(DIGESTS[0]);

  for (const e of events) {
    const before = w.serving();
    const beforeHadReady = before ? w.readyCount(before.digest) > 0 : false;
    const forcedBefore = new Set(w.rows.filter((r) => r.forced).map((r) => r.digest));
    switch (e.kind) {
      case 'crown':
        w.king = e.model;
        break;
      case 'deploy':
        w.backends.push({ id: `b${w.backends.length}`, ...target(e.model), phase: e.phase, removed: false });
        break;
      case 'advance': {
        const order: Phase[] = ['fetching', 'loading', 'warming', 'ready'];
        const starting = w.backends.filter((x) => !x.removed && x.phase !== 'down' && x.phase !== 'ready');
        const b = starting[e.backend % Math.max(1, starting.length)];
        if (b) b.phase = order[order.indexOf(b.phase) + 1]!;
        break;
      }
      case 'crash': {
        const b = w.backends[e.backend % w.backends.length]!;
        b.phase = 'down';
        w.videos = w.videos.filter((v) => v.backend !== b.id); // its calls fail over; not this test's subject
        break;
      }
      case 'tick':
        w.now = new Date(w.now.getTime() + e.ms);
        break;
      case 'reconcile':
        if (e.killAfter !== null) seen.kills++;
        await w.reconcile(e.killAfter);
        break;
      case 'submit':
        w.submit();
        break;
      case 'finish':
        if (w.videos.length) w.videos.splice(e.video % w.videos.length, 1);
        break;
      case 'operator': {
        const row = w.rows.find((r) => r.digest === DIGESTS[e.model]);
        const change = e.action === 'hold' ? { held: true, forced: false } : e.action === 'release' ? { held: false } : { held: false, forced: true };
        if (row) w.rows = w.rows.map((r) => (r === row ? { ...r, ...change } : r));
        break;
      }
    }
    const after = w.serving();
    // Never a moment without a served model while the old king had READY backends.
    if (beforeHadReady) expect(after, `no served model after ${JSON.stringify(e)}`).toBeDefined();
    // The served model changes only to a digest READY on N backends (one when forced), never held.
    if (after && after.digest !== before?.digest) {
      seen.switches++;
      expect(after.held).toBe(false);
      expect(w.readyCount(after.digest)).toBeGreaterThanOrEqual(forcedBefore.has(after.digest) ? 1 : SETTINGS.minReady);
      expect(after.servedAt!.getTime()).toBe(w.now.getTime());
    }
    // Nothing served or kept is retired; a retired digest had no video in flight unless its drain deadline passed.
    for (const r of w.retired.splice(0)) {
      const kept = keptDigests(w.rows, null, SETTINGS.retain);
      expect(kept).not.toContain(r.digest);
      if (r.inFlight > 0) {
        seen.retiredAfterDeadline++;
        expect(r.drainingSince, `retired ${r.digest} without draining it`).not.toBeNull();
        expect(r.at.getTime() - r.drainingSince!.getTime(), `retired ${r.digest} with ${r.inFlight} in flight before its deadline`).toBeGreaterThanOrEqual(
          SETTINGS.drainDeadlineMs,
        );
      }
    }
  }

  // Resumes where it was: whatever was killed, the king ends up served once N of its backends are READY.
  const king = target(w.king);
  w.rows = w.rows.map((r) => ({ ...r, held: false }));
  w.videos = [];
  for (let i = 0; i < SETTINGS.minReady; i++) w.backends.push({ id: `final${i}`, ...king, phase: 'ready', removed: false });
  for (let i = 0; i < 6; i++) {
    w.now = new Date(w.now.getTime() + SETTINGS.retryMaxMs + 1);
    await w.reconcile(null);
  }
  expect(w.serving()?.digest).toBe(king.digest);
}

describe('rollout state machine (property)', () => {
  it('keeps a model serving, routes only to READY backends of the served digest, drains before retiring, and resumes after a kill', async () => {
    const settings = fc.record({ minReady: fc.integer({ min: 1, max: 3 }), retain: fc.integer({ min: 0, max: 2 }) });
    await fc.assert(fc.asyncProperty(settings, fc.array(eventArb, { minLength: 10, maxLength: 120, size: 'max' }), run), { numRuns: RUNS });
    expect(seen.switches).toBeGreaterThan(RUNS / 10);
    expect(seen.kills).toBeGreaterThan(RUNS / 10);
    expect(seen.retiredAfterDeadline).toBeGreaterThan(0);
  });

  it('switches only once N backends report the new digest READY, and then in one step', async () => {
    SETTINGS = BASE;
    const w = new World();
    w.backends.push({ id: 'b0', ...target(0), phase: 'ready', removed: false }, { id: 'b1', ...target(0), phase: 'ready', removed: false });
    await w.reconcile(null);
    w.king = 1;
    w.backends.push({ id: 'n0', ...target(1), phase: 'ready', removed: false }, { id: 'n1', ...target(1), phase: 'warming', removed: false });
    await w.reconcile(null);
    expect(w.serving()?.digest).toBe(DIGESTS[0]);
    expect(w.rows.find((r) => r.digest === DIGESTS[1])?.state).toBe('ready');
    w.backends[3]!.phase = 'ready';
    const steps = await w.reconcile(null);
    expect(w.serving()?.digest).toBe(DIGESTS[1]);
    const switchStep = steps.find((s) => s.events.some((e) => e.kind === 'model_changed'))!;
    expect(switchStep.changes.map((c) => [c.row.digest, c.row.state])).toEqual([
      [DIGESTS[0], 'ready'],
      [DIGESTS[1], 'serving'],
    ]);
  });
});
