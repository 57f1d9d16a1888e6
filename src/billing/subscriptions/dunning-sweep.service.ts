import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PollLoop } from '../../platform/scheduling/poll-loop.js';
import { AccountStanding } from './account-standing.service.js';
import { StripeClient } from '../stripe/stripe-client.js';
import { billingEnv } from '../billing.env.js';

/** Periodically suspends tenants whose payment grace is over (idempotent, so every worker may run it). */
@Injectable()
export class DunningSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PollLoop({
    name: 'dunning sweep',
    run: () => this.standing.sweep(),
    next: () => billingEnv.get().DUNNING_SWEEP_MS,
    afterError: () => billingEnv.get().DUNNING_SWEEP_MS,
  });

  constructor(
    private readonly standing: AccountStanding,
    private readonly stripe: StripeClient,
  ) {}

  onApplicationBootstrap(): void {
    if (this.stripe.get()) this.loop.start(billingEnv.get().DUNNING_SWEEP_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
