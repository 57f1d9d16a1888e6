import type { MigrationInterface } from 'typeorm';
import { Initial1795348805559 } from './1795348805559-initial.js';
import { TenancyPlansAudit1795349300616 } from './1795349300616-tenancy-plans-audit.js';

/** Every migration, in order. TypeORM runs the ones a database has not seen yet. */
export const migrations: (new () => MigrationInterface)[] = [Initial1795348805559, TenancyPlansAudit1795349300616];
