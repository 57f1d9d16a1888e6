import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import type { Actor } from '../audit/index.js';
import { ContractsService } from './contracts.service.js';

const SYSTEM: Actor = { type: 'system', id: 'contracts', requestId: null };
const INTERVAL_MS = 60_000;

/** Puts a contract version's limits on its tenant when its effective date passes (at the period boundary, usually). */
@Injectable()
export class ContractActivation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PollLoop({
    name: 'contract activation',
    run: () => this.contracts.activateDue(SYSTEM),
    next: () => INTERVAL_MS,
    afterError: () => INTERVAL_MS,
    logLevel: 'warn',
  });

  constructor(private readonly contracts: ContractsService) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
