import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { dataSourceOptions } from '../../src/app/database/data-source-options.js';
import { migrations } from '../../migrations/index.js';
import { TreasuryCurrencyProxy1796660000000 } from '../../migrations/1796660000000-treasury-currency-proxy.js';

/**
 * Fundings and burns recorded before money carried its currency were US cents: after the migration
 * they are USD, the same amounts, with the rate's source saying finance entered it; no transfer is
 * invented for them, and a transfer can then be named by one funding only.
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

describe('treasury currency migration', () => {
  it('keeps existing fundings and burns as USD, to the cent', async () => {
    const at = migrations.indexOf(TreasuryCurrencyProxy1796660000000);
    expect(at).toBeGreaterThan(0);
    await migrate(migrations.slice(0, at));
    const ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    try {
      await ds.query(`INSERT INTO treasury_fundings (id, amount_rao, usd_cents, rate, source, external_reference, received_at, created_by)
                      VALUES ('fnd_old', 50000000, 2000, '400', 'otc', 'otc-old', '2026-11-01T10:00:00Z', 'op_finance')`);
      await ds.query(`INSERT INTO treasury_burns (id, status, amount_rao, covered_minor, netuid) VALUES ('brn_old', 'finalized', 50000000, 2000, 99)`);
      await ds.destroy();
      await migrate(migrations);
      await ds.initialize();
      expect(
        await ds.query(
          `SELECT fiat_minor::int, currency, rate, rate_source, rate_read_at, transfer_block_number, transfer_extrinsic_index FROM treasury_fundings`,
        ),
      ).toEqual([
        {
          fiat_minor: 2000,
          currency: 'usd',
          rate: '400',
          rate_source: 'entered by finance',
          rate_read_at: new Date('2026-11-01T10:00:00Z'),
          transfer_block_number: null,
          transfer_extrinsic_index: null,
        },
      ]);
      expect(await ds.query(`SELECT covered_minor::int, currency, coldkey FROM treasury_burns`)).toEqual([
        { covered_minor: 2000, currency: 'usd', coldkey: null },
      ]);
      const funding = (id: string, ref: string) =>
        ds.query(
          `INSERT INTO treasury_fundings (id, amount_rao, fiat_minor, currency, rate, rate_source, rate_read_at, source, external_reference, transfer_block_number, transfer_extrinsic_index, received_at, created_by)
                  VALUES ($1, 1, 1, 'eur', '1', 'feed', now(), 'otc', $2, 4200000, 2, now(), 'op_finance')`,
          [id, ref],
        );
      await funding('fnd_a', 'ref-a');
      await expect(funding('fnd_b', 'ref-b')).rejects.toThrow(/duplicate key/);
    } finally {
      if (ds.isInitialized) await ds.destroy();
    }
  });
});
