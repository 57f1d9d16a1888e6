import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { ModuleRef } from '@nestjs/core';
import type { JobType, Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '../metrics/registry.js';
import { QueueName } from './queue-names.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;
let queues: Queue[] = [];

/**
 * BullMQ's connection waits for Redis indefinitely (workers need it to): while Redis is down a
 * count would hang the whole scrape, so a queue whose connection is not ready is left out.
 */
async function counts(q: Queue, ...states: JobType[]): Promise<Record<string, number> | null> {
  const client = await q.client;
  if (client.status !== 'ready') return null;
  return q.getJobCounts(...states).catch(() => null);
}

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
        const found = await counts(q, ...STATES);
        if (found) for (const state of STATES) this.set({ queue: q.name, state }, found[state] ?? 0);
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
        const found = await counts(q, 'waiting', 'prioritized');
        if (found) this.set({ queue: q.name }, (found.waiting ?? 0) + (found.prioritized ?? 0));
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
