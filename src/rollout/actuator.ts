/**
 * What the rollout controller asks of whatever runs GPU backends for a model digest. The
 * controller is a reconcile loop that may be killed at any point and run again, so every call
 * here is idempotent: asking twice for the same thing changes nothing the second time.
 */

/** A model as the subnet crowned it: repository and immutable digest (`sha256:…` or `hf:…`). */
export interface ModelTarget {
  repo: string;
  digest: string;
}

/** Why backends are wanted: to serve (or stand by for rollback and pins), or to fetch a challenger's weights ahead of a crowning. */
export type ProvisionPurpose = 'serve' | 'prefetch';

/** A backend the actuator made, for the controller to register for the digest. */
export interface ActuatorBackend {
  name: string;
  url: string;
  maxConcurrency: number;
}

export interface ModelActuator {
  readonly kind: 'manual' | 'kubernetes';
  /**
   * Make `replicas` backends for the model exist. Returns the backends to register for the
   * digest; the manual actuator makes none and returns none (operators deploy and register their
   * own, and the controller waits until their health reports the digest).
   */
  provision(target: ModelTarget, opts: { replicas: number; purpose: ProvisionPurpose }): Promise<ActuatorBackend[]>;
  /** Remove what `provision` made for the model; called only once its backends have drained. */
  retire(target: ModelTarget): Promise<void>;
}

/** Nest injection token for the configured actuator (ROLLOUT_ACTUATOR). */
export const MODEL_ACTUATOR = Symbol('MODEL_ACTUATOR');
