import { defineEnv, int } from '../../../platform/config/define-env.js';

export const prefetchEnv = defineEnv('prefetch', {
  /** Backends each `live_duels` challenger gets ahead of a crowning (0: no prefetch). Each one holds a GPU. */
  ROLLOUT_PREFETCH_BACKENDS: int(0, 0, 16),
  /** Most challengers prefetched at once, the ones named first in `live_duels` first. */
  ROLLOUT_PREFETCH_MAX_MODELS: int(2, 1, 32),
});
