import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Counter } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';
import { meterRelayGauges } from '../usage/index.js';

/** Second live subscriptions found on a customer and canceled (each also in the audit log as billing.duplicate_subscription). */
export const duplicateSubscriptions = new Counter({
  name: 'leoma_stripe_duplicate_subscriptions_total',
  help: "Second live Stripe subscriptions found on a tenant's customer and canceled.",
  registers: [metricsRegistry],
});

@Injectable()
export class BillingGauges implements OnModuleInit, OnModuleDestroy {
  private detach: (() => void)[] = [];

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    this.detach = meterRelayGauges.map((g) => g.attach(this.db));
  }

  onModuleDestroy(): void {
    for (const d of this.detach) d();
  }
}
