/** Following the king: the rollout of each new model digest onto GPU backends, and the actuators that provision them. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './actuator.js';
export * from './rollout.module.js';
export * from './rollout.env.js';
export * from './rollout.errors.js';
export { RolloutService, type RolloutCommand } from './rollout.service.js';
export { RolloutController } from './rollout-controller.service.js';
export { ROLLOUT_STATES, type RolloutState } from './rollout-machine.js';
