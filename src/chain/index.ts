/** The one subtensor connection (`ChainClient`) and the subnet reads on it. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './chain-client.js';
export * from './chain.module.js';
export * from './chain.env.js';
export * from './subnet-reader.js';
