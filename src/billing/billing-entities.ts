import { BillingAccount } from './billing-account.entity.js';
import { CatalogEntry } from './stripe/catalog-entry.entity.js';
import { RevenueEntry } from './revenue/revenue-entry.entity.js';
import { StripeEventRecord } from './stripe/stripe-event.entity.js';

/** This module's tables, listed once for src/database/entities.ts. */
export const billingEntities = [RevenueEntry, BillingAccount, StripeEventRecord, CatalogEntry];
