import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { appDatabaseUrl } from '../support/database-via.js';
import { runMigrations } from '../../src/app/database/migrate.js';
import { retentionEnv } from '../../src/retention/retention.env.js';
import { RetentionPurge } from '../../src/retention/index.js';

// Item 15 of issue 19: idempotency keys, events and webhook deliveries go once past their windows
// (24 h; 30 days; finished deliveries 30 days), in batches, by one worker at a time. The purge
// runs on an injected clock, so "31 days later" takes no time.
// The purge needs only the database (migrated, as in production), not a whole app.
let db: TestDatabase;
let source: DataSource;
let clock = new Date();
let purge: RetentionPurge;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  db = await createTestDatabase();
  await runMigrations(db.url);
  // The purge's own connection, as a worker's: through PgBouncer under TEST_DATABASE_VIA=pgbouncer.
  source = await new DataSource({ type: 'postgres', url: appDatabaseUrl(db.url) }).initialize();
  process.env.RETENTION_PURGE_BATCH = '2';
  retentionEnv.reload();
  purge = new RetentionPurge(source, () => clock);
});
afterAll(async () => {
  await source?.destroy();
  await db?.drop();
});

const sql = async (text: string, params?: unknown[]) => (await source.query(text, params)) as Record<string, any>[];

const later = (ms: number) => (clock = new Date(Date.now() + ms));
const ids = async (table: string) =>
  (await sql(`select ${table === 'idempotency_keys' ? 'key' : 'id'} as id from ${table} order by 1`)).map((r) => r.id as string);
const idemKey = (key: string) =>
  sql(`insert into idempotency_keys (owner, key, request_hash, method, path, state) values ('tenant:t:live', $1, 'h', 'POST', '/v1/videos', 'completed')`, [
    key,
  ]);
const event = (id: string) =>
  sql(`insert into events (id, tenant_id, type, object_id, data, livemode) values ($1, 't', 'video.queued', 'vid_x', '{}', true)`, [id]);
const delivery = (id: string, eventId: string, status: string) =>
  sql(`insert into webhook_deliveries (id, tenant_id, event_id, url, status, window_started_at) values ($1, 't', $2, 'https://example.com', $3, now())`, [
    id,
    eventId,
    status,
  ]);

describe('retention purge', () => {
  it('keeps idempotency keys for 24 h and deletes them after, a batch per pass', async () => {
    for (const k of ['k1', 'k2', 'k3']) await idemKey(k);
    later(23 * HOUR);
    expect(await purge.purgeOnce()).toMatchObject({ ran: true, idempotencyKeys: 0 });
    later(25 * HOUR);
    expect((await purge.purgeOnce()).idempotencyKeys).toBe(2);
    expect(await ids('idempotency_keys')).toHaveLength(1);
    expect((await purge.purgeOnce()).idempotencyKeys).toBe(1);
    expect(await ids('idempotency_keys')).toEqual([]);
  });

  it('keeps events and finished deliveries 30 days; a pending delivery, and its event, stay until it finishes', async () => {
    await event('evt_done');
    await event('evt_pending');
    await event('evt_alone');
    await delivery('whd_done', 'evt_done', 'succeeded');
    await delivery('whd_failed', 'evt_done', 'failed');
    await delivery('whd_pending', 'evt_pending', 'pending');
    later(29 * DAY);
    expect(await purge.purgeOnce()).toMatchObject({ webhookDeliveries: 0, events: 0 });
    later(31 * DAY);
    while (Object.values(await purge.purgeOnce()).some((n) => typeof n === 'number' && n > 0));
    expect(await ids('webhook_deliveries')).toEqual(['whd_pending']);
    expect(await ids('events')).toEqual(['evt_pending']);
    await sql(`update webhook_deliveries set status = 'succeeded' where id = 'whd_pending'`);
    await purge.purgeOnce();
    expect([await ids('webhook_deliveries'), await ids('events')]).toEqual([[], []]);
  });

  it('runs on one worker at a time: while another holds the purge lock, a pass deletes nothing', async () => {
    await idemKey('k-locked');
    later(25 * HOUR);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query("select pg_advisory_xact_lock(hashtext('retention-purge'))");
      expect(await purge.purgeOnce()).toEqual({ ran: false, idempotencyKeys: 0, webhookDeliveries: 0, events: 0 });
      expect(await ids('idempotency_keys')).toEqual(['k-locked']);
      await other.query('commit');
    } finally {
      await other.end();
    }
    expect((await purge.purgeOnce()).idempotencyKeys).toBe(1);
  });
});
