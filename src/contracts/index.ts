/** Contracts and rate cards: plans as versioned data with grandfathering, each tenant's versioned contract (included seconds, overage prices, commitment, discount, term, PO and tax ids), and the rate card every cost, estimate and cap reads. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './contract-version.entity.js';
export * from './contract-entities.js';
export * from './contracts.module.js';
export * from './contracts.service.js';
export * from './rate-cards.module.js';
export * from './rate-cards.service.js';
