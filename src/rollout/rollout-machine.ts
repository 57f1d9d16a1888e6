import type { ModelTarget } from './actuator.js';

export const ROLLOUT_STATES = ['desired', 'fetching', 'loading', 'warming', 'ready', 'serving', 'draining', 'retired', 'failed'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

/** The phases a starting GPU server reports, which are the rollout's states of the same name. */
const STARTING_PHASES = new Set<RolloutState>(['fetching', 'loading', 'warming']);
const ASKED = new Set<RolloutState>(['fetching', 'loading', 'warming']);

/** One digest's machine as stored (model_rollouts); the controller only ever moves it through `plan`. */
export interface RolloutRow {
  id: string;
  repo: string;
  digest: string;
  state: RolloutState;
  /** An operator's hold: the digest is not made the served model until released. */
  held: boolean;
  /** An operator's force: made the served model with one READY backend instead of ROLLOUT_MIN_READY_BACKENDS. */
  forced: boolean;
  minerHotkey: string | null;
  minerUid: number | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  stateSince: Date;
  /** When backends were last asked for (the step timeout runs from here). */
  askedAt: Date | null;
  /** When it last became the served model; null: never served. */
  servedAt: Date | null;
  /** When it last stopped being the served model (orders the retained kings). */
  replacedAt: Date | null;
}

/** What the backends say about one digest. */
export interface DigestReadings {
  /** Backends READY (or BUSY) whose health reports this digest. */
  ready: number;
  /** The furthest start-up phase a backend loading this digest reports; null: none is starting it. */
  phase: 'fetching' | 'loading' | 'warming' | null;
  /** Videos running on backends that report or are registered for this digest. */
  inFlight: number;
}

export interface World {
  /** The crowned model; null when the king names no digest (a branch such as "main"): nothing to roll out. */
  king: (ModelTarget & { minerHotkey: string | null; minerUid: number | null }) | null;
  digests: Map<string, DigestReadings>;
}

export interface RolloutSettings {
  minReady: number;
  retain: number;
  drainDeadlineMs: number;
  stepTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** A call to the actuator made before the step commits (so a controller killed in between asks again: the calls are idempotent). */
export type ActuatorCall = { kind: 'provision'; target: ModelTarget } | { kind: 'retire'; target: ModelTarget };

/** Written in the step's transaction: the served king changed, or operators are told what to deploy or remove. */
export type RolloutEvent =
  | { kind: 'model_changed'; from: ModelTarget | null; to: ModelTarget }
  | { kind: 'notice'; action: 'deploy' | 'remove'; target: ModelTarget; reason: string };

/** One transaction: rows moved from the states the plan saw (`from`; null: a new row) to new values. */
export interface Step {
  reason: string;
  changes: { row: RolloutRow; from: RolloutState | null }[];
  calls: ActuatorCall[];
  events: RolloutEvent[];
}

const NO_READINGS: DigestReadings = { ready: 0, phase: null, inFlight: 0 };
export const targetOf = (r: Pick<RolloutRow, 'repo' | 'digest'>): ModelTarget => ({ repo: r.repo, digest: r.digest });

/**
 * One reconcile pass: what to do now given the stored machines and what the world reports. Pure,
 * so it can be run again after any crash; the steps are applied in order, each in its own
 * transaction, and a step whose rows changed meanwhile ends the pass. The served model only ever
 * changes inside one step that makes the new one `serving` and the old one `ready` together.
 */
export function plan(stored: RolloutRow[], world: World, s: RolloutSettings, now: Date, newId: () => string): Step[] {
  const rows = new Map(stored.map((r) => [r.digest, { ...r }]));
  const steps: Step[] = [];
  const at = (digest: string) => world.digests.get(digest) ?? NO_READINGS;
  const move = (
    reason: string,
    updates: { row: RolloutRow; to: RolloutState; patch?: Partial<RolloutRow>; create?: true }[],
    calls: ActuatorCall[] = [],
    events: RolloutEvent[] = [],
  ) => {
    const changes = updates.map(({ row, to, patch, create }) => {
      const next: RolloutRow = { ...row, ...patch, state: to, stateSince: now };
      rows.set(next.digest, next);
      return { row: next, from: create ? null : row.state };
    });
    steps.push({ reason, changes, calls, events });
  };
  const king = world.king;

  // The crowned digest gets a machine (again, if it was retired or is draining).
  if (king) {
    const row = rows.get(king.digest);
    const fresh = { minerHotkey: king.minerHotkey, minerUid: king.minerUid, attempts: 0, nextAttemptAt: null, lastError: null, askedAt: null };
    if (!row) {
      const created: RolloutRow = {
        id: newId(),
        repo: king.repo,
        digest: king.digest,
        state: 'desired',
        held: false,
        forced: false,
        servedAt: null,
        replacedAt: null,
        stateSince: now,
        ...fresh,
      };
      move(`${king.digest} was crowned`, [{ row: created, to: 'desired', create: true }]);
    } else if (row.state === 'retired' || row.state === 'draining') {
      move(`${king.digest} was crowned again`, [{ row, to: 'desired', patch: fresh }]);
    }
  }

  for (const row of [...rows.values()]) {
    const readings = at(row.digest);
    const isKing = king?.digest === row.digest;
    if (row.state === 'desired') {
      move(
        `backends asked for ${row.digest}`,
        [{ row, to: 'fetching', patch: { askedAt: now } }],
        [{ kind: 'provision', target: targetOf(row) }],
        [{ kind: 'notice', action: 'deploy', target: targetOf(row), reason: isKing ? 'crowned' : 'asked' }],
      );
    } else if (row.state === 'failed' && isKing && row.nextAttemptAt !== null && row.nextAttemptAt <= now) {
      move(`retry ${row.attempts} of ${row.digest}`, [{ row, to: 'desired' }]);
      continue;
    }
    const current = rows.get(row.digest)!;
    if (!ASKED.has(current.state)) continue;
    if (readings.ready > 0) move(`${row.digest} has a READY backend`, [{ row: current, to: 'ready' }]);
    else if (current.askedAt && now.getTime() - current.askedAt.getTime() >= s.stepTimeoutMs) {
      const attempts = current.attempts + 1;
      const wait = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (attempts - 1));
      move(`${row.digest} timed out`, [
        {
          row: current,
          to: 'failed',
          patch: { attempts, nextAttemptAt: new Date(now.getTime() + wait), lastError: `no backend reported ${row.digest} READY within ${s.stepTimeoutMs} ms` },
        },
      ]);
    } else if (readings.phase && readings.phase !== current.state && STARTING_PHASES.has(readings.phase)) {
      move(`${row.digest} is ${readings.phase}`, [{ row: current, to: readings.phase }]);
    }
  }

  // The switch: the king, ready on enough backends and not held, takes over from the served model in one step.
  const serving = [...rows.values()].find((r) => r.state === 'serving') ?? null;
  const kingRow = king ? rows.get(king.digest) : undefined;
  if (kingRow && kingRow.state === 'ready' && !kingRow.held && kingRow !== serving) {
    const ready = at(kingRow.digest).ready;
    if (ready >= s.minReady || (kingRow.forced && ready >= 1)) {
      // The old one first: at most one row is `serving` at any moment, even inside the transaction.
      const updates: { row: RolloutRow; to: RolloutState; patch: Partial<RolloutRow> }[] = serving
        ? [{ row: serving, to: 'ready', patch: { replacedAt: now } }]
        : [];
      updates.push({ row: kingRow, to: 'serving', patch: { servedAt: now, forced: false } });
      move(
        `${kingRow.digest} serves (${ready} READY)`,
        updates,
        [],
        [{ kind: 'model_changed', from: serving ? targetOf(serving) : null, to: targetOf(kingRow) }],
      );
    }
  }

  // Everything not served, not the king and not among the last K kings drains, then retires.
  const kept = new Set(keptDigests([...rows.values()], king?.digest ?? null, s.retain));
  for (const row of [...rows.values()]) {
    if (kept.has(row.digest) || row.state === 'retired') continue;
    if (row.state !== 'draining') {
      move(`${row.digest} is no longer wanted`, [{ row, to: 'draining' }]);
      continue;
    }
    const inFlight = at(row.digest).inFlight;
    if (inFlight === 0 || now.getTime() - row.stateSince.getTime() >= s.drainDeadlineMs) {
      const why = inFlight === 0 ? 'drained' : `drain deadline passed with ${inFlight} in flight`;
      move(
        `${row.digest} ${why}`,
        [{ row, to: 'retired' }],
        [{ kind: 'retire', target: targetOf(row) }],
        [{ kind: 'notice', action: 'remove', target: targetOf(row), reason: why }],
      );
    }
  }
  return steps;
}

/** The served model, the king, and the last `retain` earlier kings (most recently replaced first): what stays loaded. */
export function keptDigests(rows: RolloutRow[], kingDigest: string | null, retain: number): string[] {
  const serving = rows.filter((r) => r.state === 'serving').map((r) => r.digest);
  const earlier = rows
    .filter((r) => r.state === 'ready' && r.servedAt !== null && r.replacedAt !== null)
    .sort((a, b) => b.replacedAt!.getTime() - a.replacedAt!.getTime())
    .slice(0, retain)
    .map((r) => r.digest);
  return [...serving, ...(kingDigest ? [kingDigest] : []), ...earlier];
}
