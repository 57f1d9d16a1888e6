/** Batches: a CSV/JSONL or list of video requests taken in, handed to the video queue fairly and within limits, with progress, control (pause, cancel, retry) and a manifest of the results. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export { Batch } from './batch.entity.js';
export { BatchesModule } from './batches.module.js';
export { BatchesWorkerModule } from './batches-worker.module.js';
export { batchesEnv } from './batches.env.js';
export { batchesErrors } from './batches.errors.js';
