/** Following the king: the rollout of each new model digest onto GPU backends, and the actuators that provision them. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './actuator.js';
