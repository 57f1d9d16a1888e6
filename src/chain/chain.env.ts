import { z } from 'zod';
import { defineEnv, int } from '../platform/config/define-env.js';

export const chainEnv = defineEnv('chain', {
  /** Subtensor WebSocket endpoint (e.g. wss://entrypoint-finney.opentensor.ai:443); unset: no chain, ranking from MODEL_RANKING. */
  SUBTENSOR_WS_URL: z
    .string()
    .regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL')
    .optional(),
  SUBNET_NETUID: int(99, 0, 65535),
  /** 0: refresh the miner directory once per subnet tempo (Tempo(netuid) blocks of 12 s). */
  MINER_REFRESH_INTERVAL_MS: int(0, 0, 24 * 3_600_000),
});
