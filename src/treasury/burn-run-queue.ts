import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Job, type Queue } from 'bullmq';
import { JobName, QueueName, type JobPayloads } from '../platform/queue/queue-names.js';
import type { BurnRunOutcome } from './run-burns.job.js';
import { treasuryEnv } from './treasury.env.js';
import { traceCarrier } from '../platform/tracing/job-trace-context.js';

const POLL_MS = 50;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * The API's side of a burn run: it queues the run for a worker (the only role with the signing
 * key) and waits a short while for the worker's answer, so the caller normally gets the planned
 * burn back. Polled rather than awaited through QueueEvents: a rare admin action is not worth a
 * blocking Redis connection in every API pod.
 */
@Injectable()
export class BurnRunQueue {
  constructor(@InjectQueue(QueueName.Treasury) private readonly queue: Queue) {}

  /** The run's outcome, or null when no worker finished planning within TREASURY_RUN_WAIT_MS (the run stays queued). */
  async request(): Promise<BurnRunOutcome | null> {
    // A run still waiting for a worker covers this request too: no worker is taking runs now, so neither waiting nor a second run helps.
    if ((await this.queue.getWaitingCount()) > 0) return null;
    const data: JobPayloads[JobName.RunBurns] = { trace: traceCarrier() };
    // One attempt: a run that failed is asked for again by a person or the next schedule, never replayed later on its own.
    const job = await this.queue.add(JobName.RunBurns, data, { attempts: 1, removeOnComplete: { age: 3_600 }, removeOnFail: { age: 86_400 } });
    const deadline = Date.now() + treasuryEnv.get().TREASURY_RUN_WAIT_MS;
    for (;;) {
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') {
        const done = await Job.fromId<JobPayloads[JobName.RunBurns], BurnRunOutcome>(this.queue, job.id!);
        if (state === 'failed' || !done) throw new Error(`burn run ${job.id} failed in the worker: ${done?.failedReason ?? 'removed'}`);
        return done.returnvalue;
      }
      if (Date.now() >= deadline) return null;
      await pause(POLL_MS);
    }
  }
}
