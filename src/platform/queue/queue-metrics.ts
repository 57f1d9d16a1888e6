import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '../metrics/registry.js';
import { QueueName } from './queue-names.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;
let queues: Queue[] = [];

/** Queue depth from Redis at scrape time: what the worker HPA and the backlog alerts read. */
new Gauge({
  name: 'leoma_queue_jobs',
  help: 'Jobs per queue and state (waiting, active, delayed, failed, prioritized, waiting-children).',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    await Promise.all(
      queues.map(async (q) => {
        const counts = await q.getJobCounts(...STATES).catch(() => null);
        if (counts) for (const state of STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
      }),
    );
  },
});

/**
 * Jobs waiting for a worker, whatever BullMQ's state for it: jobs added with a priority sit in
 * `prioritized`, not `waiting`, and every video job has one. The series the worker HPA and the
 * saturation alert read, so neither can miss a backlog by counting one state.
 */
new Gauge({
  name: 'leoma_queue_backlog',
  help: 'Jobs per queue waiting for a worker: waiting + prioritized.',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    await Promise.all(
      queues.map(async (q) => {
        const counts = await q.getJobCounts('waiting', 'prioritized').catch(() => null);
        if (counts) this.set({ queue: q.name }, (counts.waiting ?? 0) + (counts.prioritized ?? 0));
      }),
    );
  },
});

@Injectable()
export class QueueGauges implements OnModuleInit, OnModuleDestroy {
  private mine: Queue[] = [];

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    this.mine = Object.values(QueueName).map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    queues = this.mine;
  }

  onModuleDestroy(): void {
    if (queues === this.mine) queues = [];
  }
}
