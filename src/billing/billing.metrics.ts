import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { defineSqlGauge } from '../platform/metrics/sql-gauge.js';

/** How far the meter relay is behind: the age of the oldest live usage not yet accepted by Stripe (0 when none waits). */
const relayLag = defineSqlGauge({
  name: 'leoma_stripe_meter_relay_lag_seconds',
  help: 'Age of the oldest live usage record not yet sent to the Stripe meter; 0 when none waits.',
  sql: `select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as lag from usage_records where livemode and meter_sent_at is null`,
  sample: (row) => ({ value: Number(row.lag) }),
});

@Injectable()
export class BillingGauges implements OnModuleInit, OnModuleDestroy {
  private detach = () => {};

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    this.detach = relayLag.attach(this.db);
  }

  onModuleDestroy(): void {
    this.detach();
  }
}
