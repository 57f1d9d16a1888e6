import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QueueName } from '../platform/queue/queue-names.js';
import { JobRegistry } from '../platform/queue/job-registry.js';

/** The BullMQ consumer of the treasury queue (burn runs asked for by the API); runs never overlap anyway (a lease row). */
@Processor(QueueName.Treasury, { concurrency: 1 })
export class TreasuryProcessor extends WorkerHost {
  constructor(private readonly registry: JobRegistry) {
    super();
  }

  process(job: Job, token?: string): Promise<unknown> {
    return this.registry.run(job, token);
  }
}
