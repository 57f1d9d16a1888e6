import { Injectable } from '@nestjs/common';
import { ChainUnavailable } from '../chain/index.js';
import { JobHandler } from '../platform/queue/job-handler.decorator.js';
import { JobName, type JobPayloads } from '../platform/queue/queue-names.js';
import { BurnExecutor } from './burn-executor.service.js';

/** What a queued burn run reports back to the API request that asked for it (the job's return value). */
export interface BurnRunOutcome {
  result: 'planned' | 'nothing_to_burn' | 'waiting_for_unresolved' | 'busy' | 'chain_unavailable';
  dry_run: boolean;
  burn_id: string | null;
}

/**
 * Runs the burn job for POST /v1/treasury/burns in the worker, where the signing key is. It
 * returns once the run has planned (or found nothing to do); a live burn is then followed to the
 * chain's verdict in the background, holding the treasury lock, as a scheduled run is.
 */
@Injectable()
export class RunBurnsJob {
  constructor(private readonly executor: BurnExecutor) {}

  @JobHandler(JobName.RunBurns)
  async handle(_payload: JobPayloads[JobName.RunBurns]): Promise<BurnRunOutcome> {
    const dry_run = !this.executor.live();
    try {
      const run = await this.executor.run();
      return { result: run.reason, dry_run, burn_id: run.burn?.id ?? null };
    } catch (e) {
      // The node could not be reached before anything was planned: the asker hears so, nothing is retried.
      if (e instanceof ChainUnavailable) return { result: 'chain_unavailable', dry_run, burn_id: null };
      throw e;
    }
  }
}
