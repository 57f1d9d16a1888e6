import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QueueName } from './queue-names.js';
import { JobRegistry } from './job-registry.js';

/** Periodic housekeeping jobs; one at a time is plenty. */
@Processor(QueueName.Maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost {
  constructor(private readonly registry: JobRegistry) {
    super();
  }

  process(job: Job, token?: string): Promise<unknown> {
    return this.registry.run(job, token);
  }
}
