import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AllocationsService } from './allocations.service.js';
import { treasuryEnv } from './treasury.env.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';

const every = () => treasuryEnv.get().TREASURY_ALLOCATION_INTERVAL_MS;

/**
 * The worker allocates new revenue every TREASURY_ALLOCATION_INTERVAL_MS, so finance's reads only
 * read. Writes that depend on the allocations (a funding, a burn run) sweep first themselves; the
 * sweep is idempotent, so several workers and those writes may run it at once.
 */
@Injectable()
export class AllocationSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop = new PollLoop({ name: 'allocation sweep', run: () => this.allocations.sweep(), next: every, afterError: every, logLevel: 'warn' });

  constructor(private readonly allocations: AllocationsService) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
