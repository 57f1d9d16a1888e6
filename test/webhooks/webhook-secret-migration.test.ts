import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { dataSourceOptions } from '../../src/app/database/data-source-options.js';
import { migrations } from '../../migrations/index.js';
import { WebhookSecretPerMode1795921000425 } from '../../migrations/1795921000425-webhook-secret-per-mode.js';

/**
 * A tenant's default webhook secret from before secrets were per mode is the one its receivers
 * verify live deliveries with: it stays the live secret, and the test one is a row of its own.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

async function migrate(list: typeof migrations): Promise<void> {
  const ds = new DataSource({ ...dataSourceOptions(db.url), migrations: list });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

describe('webhook secret per mode migration', () => {
  it('keeps the existing secret as the live one and leaves room for a test one', async () => {
    const at = migrations.indexOf(WebhookSecretPerMode1795921000425);
    expect(at).toBeGreaterThan(0);
    await migrate(migrations.slice(0, at));
    const ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    try {
      await ds.query(`insert into webhook_tenant_secrets (tenant_id, secret_enc) values ('ten_old', 'v1.sealed-live')`);
      await ds.destroy();
      await migrate(migrations);
      await ds.initialize();
      expect(await ds.query('select tenant_id, livemode, secret_enc from webhook_tenant_secrets')).toEqual([
        { tenant_id: 'ten_old', livemode: true, secret_enc: 'v1.sealed-live' },
      ]);
      await ds.query(`insert into webhook_tenant_secrets (tenant_id, livemode, secret_enc) values ('ten_old', false, 'v1.sealed-test')`);
      await expect(ds.query(`insert into webhook_tenant_secrets (tenant_id, livemode, secret_enc) values ('ten_old', true, 'v1.again')`)).rejects.toThrow(
        /duplicate key/,
      );
    } finally {
      if (ds.isInitialized) await ds.destroy();
    }
  });
});
