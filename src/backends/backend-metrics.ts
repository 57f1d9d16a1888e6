import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';
import { BackendPool } from './backend-pool.service.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { ConcurrencySlots } from './concurrency-slots.js';

/** One generation call on a backend, by how it ended (`ok` or the BackendError code). Backend ids are the operators' routing table: bounded. */
export const backendCallSeconds = new Histogram({
  name: 'leoma_backend_call_duration_seconds',
  help: 'GPU backend generation calls by backend and outcome (ok or error code).',
  labelNames: ['backend', 'outcome'] as const,
  buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200],
  registers: [metricsRegistry],
});

export const backendErrors = new Counter({
  name: 'leoma_backend_errors_total',
  help: 'Failed GPU backend calls by backend and error code.',
  labelNames: ['backend', 'code'] as const,
  registers: [metricsRegistry],
});

const STATE_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };
let source: BackendGauges | undefined;

new Gauge({
  name: 'leoma_backend_circuit_state',
  help: 'Circuit breaker per backend: 0 closed, 1 half-open, 2 open.',
  labelNames: ['backend'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    // Redis down: this series is left out of the scrape rather than failing every series with it.
    for (const [id, state] of (await source?.read().catch(() => undefined))?.states ?? []) this.set({ backend: id }, STATE_VALUE[state]);
  },
});

new Gauge({
  name: 'leoma_backend_slots_in_use',
  help: 'Concurrency slots held on each backend, across all workers.',
  labelNames: ['backend'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const [id, n] of (await source?.read().catch(() => undefined))?.slots ?? []) this.set({ backend: id }, n);
  },
});

/**
 * Breaker and slot state live in Redis, shared by every worker; any process with the backends
 * module answers for all of them at scrape time. One read serves both gauges of a scrape.
 */
@Injectable()
export class BackendGauges implements OnModuleInit, OnModuleDestroy {
  private pending: Promise<{ states: [string, CircuitState][]; slots: [string, number][] }> | undefined;

  constructor(
    private readonly pool: BackendPool,
    private readonly breaker: CircuitBreaker,
    private readonly slots: ConcurrencySlots,
  ) {}

  onModuleInit(): void {
    source = this;
  }

  onModuleDestroy(): void {
    if (source === this) source = undefined;
  }

  read() {
    this.pending ??= this.load().finally(() => setTimeout(() => (this.pending = undefined), 1000).unref());
    return this.pending;
  }

  private async load() {
    const targets = await this.pool.targets(true);
    const states = await Promise.all(targets.map(async (b) => [b.id, await this.breaker.state(b.id)] as [string, CircuitState]));
    const slots = await Promise.all(targets.map(async (b) => [b.id, await this.slots.inFlight(b.id)] as [string, number]));
    return { states, slots };
  }
}
