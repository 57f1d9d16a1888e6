import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QueueName } from '../platform/queue/queue-names.js';
import { JobRegistry } from '../platform/queue/job-registry.js';

/** The BullMQ consumer of the billing queue (Stripe events); the registry picks the handler. */
@Processor(QueueName.Billing, { concurrency: 4 })
export class BillingProcessor extends WorkerHost {
  constructor(private readonly registry: JobRegistry) {
    super();
  }

  process(job: Job, token?: string): Promise<unknown> {
    return this.registry.run(job, token);
  }
}
