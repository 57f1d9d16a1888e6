import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueName } from '../queue/queue-names.js';
import { JobRegistry } from '../queue/job-registry.js';
import { queueEnv } from '../queue/queue.env.js';

/** The BullMQ consumer of the webhooks queue; the registry picks the handler. */
@Processor(QueueName.Webhooks)
export class WebhooksProcessor extends WorkerHost implements OnModuleInit {
  constructor(private readonly registry: JobRegistry) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = queueEnv.get().WORKER_CONCURRENCY;
  }

  process(job: Job): Promise<unknown> {
    return this.registry.run(job);
  }
}
