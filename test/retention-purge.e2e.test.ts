import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { startTestApp, type TestApp } from './support/test-app.js';
import { RetentionPurge } from '../src/retention/index.js';

// Item 15 of issue 19: idempotency keys, events and webhook deliveries go once past their windows
// (24 h; 30 days; finished deliveries 30 days), in batches, by one worker at a time. The purge
// runs on an injected clock, so "31 days later" takes no time.
let app: TestApp;
let clock = new Date();
let purge: RetentionPurge;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  app = await startTestApp({ env: { RETENTION_PURGE_BATCH: '2' } });
  purge = new RetentionPurge(app.api.get<DataSource>(getDataSourceToken()), () => clock);
});
afterAll(() => app?.close());

const later = (ms: number) => (clock = new Date(Date.now() + ms));
const ids = async (table: string) => (await app.sql(`select ${table === 'idempotency_keys' ? 'key' : 'id'} as id from ${table} order by 1`)).map((r) => r.id as string);
const idemKey = (key: string) => app.sql(`insert into idempotency_keys (owner, key, request_hash, method, path, state) values ('tenant:t:live', $1, 'h', 'POST', '/v1/videos', 'completed')`, [key]);
const event = (id: string) => app.sql(`insert into events (id, tenant_id, type, object_id, data, livemode) values ($1, 't', 'video.queued', 'vid_x', '{}', true)`, [id]);
const delivery = (id: string, eventId: string, status: string) =>
  app.sql(`insert into webhook_deliveries (id, tenant_id, event_id, url, status, window_started_at) values ($1, 't', $2, 'https://example.com', $3, now())`, [id, eventId, status]);

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
    await app.sql(`update webhook_deliveries set status = 'succeeded' where id = 'whd_pending'`);
    await purge.purgeOnce();
    expect([await ids('webhook_deliveries'), await ids('events')]).toEqual([[], []]);
  });

  it('runs on one worker at a time: while another holds the purge lock, a pass deletes nothing', async () => {
    await idemKey('k-locked');
    later(25 * HOUR);
    const other = new pg.Client({ connectionString: app.db.url });
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
