import type { ModelRollout } from './model-rollout.entity.js';
import type { DigestReadings } from './rollout-machine.js';
import type { DeploymentObject, RolloutObject } from './dto/rollout.object.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const presentRollout = (r: ModelRollout, readings: DigestReadings | undefined): RolloutObject => ({
  object: 'model_rollout',
  id: r.id,
  repo: r.repo,
  digest: r.digest,
  state: r.state,
  held: r.held,
  forced: r.forced,
  ready_backends: readings?.ready ?? 0,
  backend_phase: readings?.phase ?? null,
  in_flight: readings?.inFlight ?? 0,
  attempts: r.attempts,
  next_attempt_at: iso(r.nextAttemptAt),
  last_error: r.lastError,
  state_since: r.stateSince.toISOString(),
  served_at: iso(r.servedAt),
  replaced_at: iso(r.replacedAt),
});

/** What operators running the manual actuator should have running: every digest asked for or kept deploys or keeps; a draining one may go once drained. */
export function presentDeployment(r: ModelRollout, readings: DigestReadings | undefined, replicas: number): DeploymentObject {
  const remove = r.state === 'draining' || r.state === 'retired';
  const running = (readings?.ready ?? 0) >= replicas;
  return {
    object: 'model_deployment',
    repo: r.repo,
    digest: r.digest,
    action: remove ? 'remove' : running ? 'keep' : 'deploy',
    replicas: remove ? 0 : replicas,
    ready_backends: readings?.ready ?? 0,
    state: r.state,
  };
}
