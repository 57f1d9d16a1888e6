import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AccountStanding } from './account-standing.service.js';
import { StripeClient } from '../stripe/stripe-client.js';
import { billingEnv } from '../billing.env.js';

/** Periodically suspends tenants whose payment grace is over (idempotent, so every worker may run it). */
@Injectable()
export class DunningSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DunningSweep.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly standing: AccountStanding, private readonly stripe: StripeClient) {}

  onApplicationBootstrap(): void {
    if (!this.stripe.get()) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.standing
        .sweep()
        .catch((e: Error) => this.logger.error(`dunning sweep: ${e.message}`))
        .finally(() => (this.running = undefined));
    }, billingEnv.get().DUNNING_SWEEP_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
