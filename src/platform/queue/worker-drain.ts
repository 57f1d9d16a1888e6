import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';
import { JobRegistry } from './job-registry.js';

export interface DrainOutcome {
  /** Every active job finished before the deadline. */
  finished: boolean;
  /** Jobs still running at the deadline, put back in their queue for another worker. */
  handedBack: string[];
}

/**
 * A worker's shutdown: stop taking jobs at once, give the running ones until the deadline, then
 * put whatever still runs back in its queue (with its lock released, so another worker takes it
 * now rather than after a stall, and without spending one of its attempts). Every job handler is
 * idempotent, so a job handed back mid-flight is simply run again elsewhere.
 */
@Injectable()
export class WorkerDrain {
  private readonly logger = new Logger(WorkerDrain.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registry: JobRegistry,
  ) {}

  async drain(deadlineMs: number): Promise<DrainOutcome> {
    const workers = this.workers();
    // close() stops fetching at once and resolves when the active jobs are done; locks keep being renewed meanwhile.
    const closed = Promise.allSettled(workers.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([closed.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)))]);
    clearTimeout(timer);
    if (finished) return { finished, handedBack: [] };
    const handedBack: string[] = [];
    for (const { job, token } of this.registry.active()) {
      try {
        await job.moveToWait(token);
        handedBack.push(`${job.queueName}:${job.id}`);
      } catch (e) {
        // Lost its lock already (another worker has it, or it just finished): nothing to hand back.
        this.logger.warn(`could not hand back ${job.queueName}:${job.id}: ${(e as Error).message}`);
      }
    }
    return { finished, handedBack };
  }

  private workers(): Worker[] {
    return this.discovery
      .getProviders()
      .map((w) => w.instance as unknown)
      .filter((i): i is WorkerHost => i instanceof WorkerHost)
      .map((host) => host.worker);
  }
}
