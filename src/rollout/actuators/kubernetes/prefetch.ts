import type { ActuatorBackend, ModelActuator, ModelTarget } from '../../actuator.js';

export interface PrefetchPlan {
  /** Challengers given backends this round, with the backends the actuator made (none from the manual actuator). */
  provisioned: { target: ModelTarget; backends: ActuatorBackend[] }[];
  /** Earlier prefetches retired because their model left `live_duels` and nothing else wants it. */
  retired: ModelTarget[];
}

const key = (t: ModelTarget) => `${t.repo}@${t.digest}`;

/**
 * Fetches the challengers now in `live_duels` ahead of a crowning, so crowning one costs a load and
 * a warm-up on a box that already holds its weights, not a 126 GB download. Idempotent like the
 * actuator under it: the controller calls it every reconcile with what it prefetched last time
 * (`previous`) and the models it keeps for its own reasons (`keep`: the king, the retained kings,
 * pins, a rollout in progress), which are neither prefetched nor retired here.
 * `backendsPerChallenger` 0 switches it off (and retires what an earlier setting prefetched).
 */
export async function prefetchChallengers(args: {
  actuator: ModelActuator;
  challengers: ModelTarget[];
  previous: ModelTarget[];
  keep: ModelTarget[];
  backendsPerChallenger: number;
  maxModels: number;
}): Promise<PrefetchPlan> {
  const keep = new Set(args.keep.map(key));
  const wanted: ModelTarget[] = [];
  if (args.backendsPerChallenger > 0) {
    for (const c of args.challengers) {
      if (wanted.length >= args.maxModels) break;
      if (!keep.has(key(c)) && !wanted.some((w) => key(w) === key(c))) wanted.push(c);
    }
  }
  const provisioned: PrefetchPlan['provisioned'] = [];
  for (const target of wanted)
    provisioned.push({ target, backends: await args.actuator.provision(target, { replicas: args.backendsPerChallenger, purpose: 'prefetch' }) });
  const still = new Set([...wanted.map(key), ...keep]);
  const retired = args.previous.filter((p, i, all) => !still.has(key(p)) && all.findIndex((q) => key(q) === key(p)) === i);
  for (const target of retired) await args.actuator.retire(target);
  return { provisioned, retired };
}
