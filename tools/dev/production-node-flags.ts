/**
 * The V8 flags the api and the worker run with in production (the Dockerfile's NODE_OPTIONS, the
 * start scripts, the bench). `npm run dev` starts its api and worker with the same flags, so the
 * memory a developer sees is the memory production has (issue 36: dev's default young generation,
 * sized from the machine's memory, made its api look twice as large). test/app/node-flags.test.ts
 * keeps the copies equal.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=16'] as const;
