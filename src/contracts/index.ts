/** What other modules may use of contracts/ (dependency-cruiser refuses deeper imports). */
export * from './contract-version.entity.js';
export * from './contract-entities.js';
export * from './contracts.module.js';
export * from './contracts.service.js';
export * from './rate-cards.module.js';
export * from './rate-cards.service.js';
