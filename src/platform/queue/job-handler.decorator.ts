import { SetMetadata } from '@nestjs/common';
import type { JobName } from './queue-names.js';

export const JOB_HANDLER = 'leoma:job-handler';

/** Marks the one method that runs a job name; the registry finds it at boot. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
