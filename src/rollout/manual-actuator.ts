import type { ActuatorBackend, ModelActuator } from './actuator.js';

/**
 * Operators deploy: the controller's `deploy`/`remove` notices (operator webhook, admin listing)
 * tell them what, and it waits until their backends report the digest. Nothing to call here.
 */
export class ManualActuator implements ModelActuator {
  readonly kind = 'manual' as const;

  provision(): Promise<ActuatorBackend[]> {
    return Promise.resolve([]);
  }

  retire(): Promise<void> {
    return Promise.resolve();
  }
}
