import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { defineSqlGauge } from '../platform/metrics/sql-gauge.js';

const burnsByState = defineSqlGauge({
  name: 'leoma_treasury_burns',
  help: 'Buy-and-burns by state (planned, signed, submitted, in_block, finalized, failed, …).',
  labelNames: ['state'],
  sql: `select status, count(*)::int as n from treasury_burns group by status`,
  sample: (row) => ({ labels: { state: String(row.status) }, value: Number(row.n) }),
});

@Injectable()
export class TreasuryGauges implements OnModuleInit, OnModuleDestroy {
  private detach = () => {};

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    this.detach = burnsByState.attach(this.db);
  }

  onModuleDestroy(): void {
    this.detach();
  }
}
