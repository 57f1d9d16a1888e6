import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The one Prometheus registry of this process. Features declare their series at module scope
 * with `registers: [metricsRegistry]`, so a series exists once per process however many Nest
 * apps a test starts in it. Labels name bounded things only (route templates, queues, backends,
 * outcomes, error codes), never ids.
 */
export const metricsRegistry = new Registry();

let processMetrics = false;

/** Node's own series (CPU, memory, event loop lag, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
