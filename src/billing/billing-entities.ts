import { RevenueEntry } from './revenue-entry.entity.js';

/** This module's tables, listed once for src/database/entities.ts. */
export const billingEntities = [RevenueEntry];
