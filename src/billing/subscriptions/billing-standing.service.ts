import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KeyCache, type OwnerCache } from '../../keys/index.js';
import { BillingAccount } from '../billing-account.entity.js';

/** Where a served tenant stands in dunning: past_due from the first failed payment until an invoice is paid. */
export interface BillingStanding {
  standing: 'active' | 'past_due';
  pastDueSince: Date | null;
}

/**
 * What other features (GET /v1/me) may know of a tenant's dunning state, without Stripe: one
 * primary-key read, kept beside the tenant's cached keys (issue 36: it was a database read on every
 * GET /v1/me). Every change to past_due_since runs in AccountStanding.locked, which refreshes the
 * tenant's keys after commit on every replica, dropping this too; AUTH_CACHE_TTL_SECONDS bounds it
 * should that message be lost. A suspended tenant is refused before any handler runs, so it never shows here.
 */
@Injectable()
export class BillingStandingReader {
  private readonly cache: OwnerCache<BillingStanding>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    keys: KeyCache,
  ) {
    this.cache = keys.companion<BillingStanding>();
  }

  of(tenantId: string): Promise<BillingStanding> {
    return this.cache.get(tenantId, () => this.read(tenantId));
  }

  private async read(tenantId: string): Promise<BillingStanding> {
    const account = await this.db.getRepository(BillingAccount).findOne({ where: { tenantId }, select: { tenantId: true, pastDueSince: true } });
    const since = account?.pastDueSince ?? null;
    return { standing: since ? 'past_due' : 'active', pastDueSince: since };
  }
}
