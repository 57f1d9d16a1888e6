import type { DataSourceOptions } from 'typeorm';
import { entities } from './entities.js';
import { migrations } from '../../../migrations/index.js';

export function dataSourceOptions(url: string, opts: { poolMax?: number; ssl?: boolean; logging?: boolean } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    // Schema changes only ever come from reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    logging: opts.logging ? ['query', 'error'] : ['error'],
    ssl: opts.ssl ? { rejectUnauthorized: true } : undefined,
    extra: { max: opts.poolMax ?? 10, application_name: 'leoma-api' },
  };
}
