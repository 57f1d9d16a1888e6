/** One model digest's rollout as `GET /v1/models` shows it. */
export interface ModelRolloutView {
  repo: string;
  digest: string;
  state: string;
  held: boolean;
  servedAt: Date | null;
  replacedAt: Date | null;
}

/**
 * The rollout state for `GET /v1/models`; the rollout feature provides it (it reads the ranking,
 * so miners cannot import it back). `served`: the model "winner" videos go to now; null before a
 * king has served, when the ranking's first model is used.
 */
export interface RolloutViewSource {
  view(): Promise<{ served: { repo: string; digest: string } | null; rollouts: ModelRolloutView[] }>;
  /** The earlier kings kept loaded for rollback and pins (RolloutService.retained). */
  retained(): Promise<{ repo: string; digest: string }[]>;
}

export const ROLLOUT_VIEW = Symbol('ROLLOUT_VIEW');
