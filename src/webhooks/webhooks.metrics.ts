import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Counter } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';
import { defineSqlGauge } from '../platform/metrics/sql-gauge.js';

/** Each delivery attempt by what came of it: succeeded, retrying (will be tried again), failed (given up), abandoned (endpoint gone). */
export const webhookDeliveries = new Counter({
  name: 'leoma_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome: succeeded, retrying, failed, abandoned.',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/**
 * How late deliveries are: how long the most overdue one has been due (pending, its attempt time
 * passed) without being delivered. An endpoint that keeps failing does not count between its
 * attempts (its next attempt is in the future): this is our backlog, not the customer's outage.
 */
const deliveryLag = defineSqlGauge({
  name: 'leoma_webhook_delivery_lag_seconds',
  help: 'How long the most overdue pending webhook delivery has been due without being delivered; 0 when none is due.',
  sql: `select coalesce(extract(epoch from now() - min(next_attempt_at)), 0)::float8 as lag from webhook_deliveries where status = 'pending' and next_attempt_at <= now()`,
  sample: (row) => ({ value: Number(row.lag) }),
});

/** Attaches the delivery gauges where the relay runs (the worker). */
@Injectable()
export class WebhookGauges implements OnModuleInit, OnModuleDestroy {
  private detach?: () => void;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    this.detach = deliveryLag.attach(this.db);
  }

  onModuleDestroy(): void {
    this.detach?.();
  }
}
