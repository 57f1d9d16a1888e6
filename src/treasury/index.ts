/** The treasury: allocations of revenue to buy-and-burn, the burns on chain (planned, signed on the worker, verified), fundings, reports and the public burns page. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './treasury.module.js';
