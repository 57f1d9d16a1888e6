import type { MigrationInterface } from 'typeorm';
import { Initial1795348805559 } from './1795348805559-initial.js';
import { Webhooks1795350307835 } from './1795350307835-webhooks.js';

/** Every migration, in order. TypeORM runs the ones a database has not seen yet. */
export const migrations: (new () => MigrationInterface)[] = [Initial1795348805559, Webhooks1795350307835];
