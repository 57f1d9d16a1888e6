/** What other modules may use of batches/ (dependency-cruiser refuses deeper imports). */
export { Batch } from './batch.entity.js';
export { BatchesModule } from './batches.module.js';
export { BatchesWorkerModule } from './batches-worker.module.js';
export { batchesEnv } from './batches.env.js';
export { batchesErrors } from './batches.errors.js';
