import { Gauge } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';

export type DependencyCheck = () => Promise<Record<string, { up: boolean; message?: string }>>;
let checks: DependencyCheck | undefined;

/** PostgreSQL and Redis as this process sees them, probed at scrape time: dependency health as a metric, not a readiness verdict. */
new Gauge({
  name: 'leoma_dependency_up',
  help: 'Whether this process reaches a dependency (postgres, redis): 1 up, 0 down, probed at scrape time.',
  labelNames: ['dependency'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    if (!checks) return;
    for (const [dependency, result] of Object.entries(await checks())) this.set({ dependency }, result.up ? 1 : 0);
  },
});

/** The process's dependency probe, read by the gauge above. */
export function reportDependencies(check: DependencyCheck | undefined): void {
  checks = check;
}
