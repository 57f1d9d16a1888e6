import { z } from 'zod';
import { defineEnv, json } from '../platform/config/define-env.js';

const rankedModel = z.object({
  model: z.string().min(1),
  model_revision: z.string().min(1).nullable().default(null),
  miner_hotkey: z.string().nullable().default(null),
  miner_uid: z.number().int().min(0).nullable().default(null),
});
export type RankedModel = z.infer<typeof rankedModel>;

export const modelsEnv = defineEnv('models', {
  /**
   * The ranking used while no chain endpoint is configured (dev, tests, a pinned deployment):
   * best first. The default names the reference backend's stand-in model.
   */
  MODEL_RANKING: json(z.array(rankedModel).min(1), '[{"model":"leoma/reference-i2v","model_revision":"main"}]'),
});
