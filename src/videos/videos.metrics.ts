import { Counter } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';

/** Videos reaching a terminal status, by outcome and (for failures) the public error code: a bounded catalogue. */
export const videosFinished = new Counter({
  name: 'leoma_videos_total',
  help: 'Videos that reached a terminal status, by outcome (succeeded, failed, canceled, expired) and error code.',
  labelNames: ['outcome', 'error_code'] as const,
  registers: [metricsRegistry],
});
