import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueName } from '../platform/queue/queue-names.js';
import { JobRegistry } from '../platform/queue/job-registry.js';
import { queueEnv } from '../platform/queue/queue.env.js';

/** The BullMQ consumer of the webhooks queue; the registry picks the handler. */
@Processor(QueueName.Webhooks)
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(private readonly registry: JobRegistry) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = queueEnv.get().WORKER_CONCURRENCY;
  }

  process(job: Job, token?: string): Promise<unknown> {
    return this.registry.run(job, token);
  }
}
