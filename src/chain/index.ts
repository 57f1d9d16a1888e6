/** What other modules may use of chain/ (dependency-cruiser refuses deeper imports). */
export * from './chain-client.js';
export * from './chain.module.js';
export * from './chain.env.js';
export * from './subnet-reader.js';
