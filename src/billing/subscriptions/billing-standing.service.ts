import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BillingAccount } from '../billing-account.entity.js';

/** Where a served tenant stands in dunning: past_due from the first failed payment until an invoice is paid. */
export interface BillingStanding {
  standing: 'active' | 'past_due';
  pastDueSince: Date | null;
}

/**
 * What other features (GET /v1/me) may know of a tenant's dunning state, without Stripe: one
 * primary-key read. A suspended tenant is refused before any handler runs, so it never shows here.
 */
@Injectable()
export class BillingStandingReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async of(tenantId: string): Promise<BillingStanding> {
    const account = await this.db.getRepository(BillingAccount).findOne({ where: { tenantId }, select: { tenantId: true, pastDueSince: true } });
    const since = account?.pastDueSince ?? null;
    return { standing: since ? 'past_due' : 'active', pastDueSince: since };
  }
}
