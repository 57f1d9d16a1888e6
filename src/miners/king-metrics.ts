import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';

/** Each dashboard read, by outcome: `answered` or the refusal reason (a bounded set). */
export const dashboardReadings = new Counter({
  name: 'leoma_king_dashboard_readings_total',
  help: "Validators' dashboard.json reads by outcome (answered, or why it was refused).",
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Set by the process that reads the king (the worker): 1 while the latest reading could not single out one king. */
export const kingAmbiguous = new Gauge({
  name: 'leoma_king_reading_ambiguous',
  help: '1 when the latest king reading is ambiguous (incentive ties at the top of the chain, or dashboards without a majority).',
  registers: [metricsRegistry],
});
