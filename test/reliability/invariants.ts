import { Redis } from 'ioredis';
import type { TestApp } from '../support/test-app.js';
import type { StripeStub } from '../support/stripe-stub/server.js';
import { surchargedResolutions, surchargeMeterEventName } from '../../src/pricing/index.js';
import type { Resolution } from '../../src/core/video-format.js';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

/**
 * The promises Leoma makes whatever happened to its processes, read from the stores themselves
 * (PostgreSQL and Redis), not from the API. Returns every broken promise, described; an empty
 * list means all hold. Call it once the scenario has settled (every accepted video given time to
 * end).
 */
export async function brokenInvariants(app: TestApp, redis: { url: string; /** QUEUE_PREFIX */ prefix: string }): Promise<string[]> {
  const broken: string[] = [];

  // Every accepted video ends in a terminal state.
  const open = await app.sql<{ id: string; status: string }>(`SELECT id, status FROM videos WHERE status <> ALL($1) ORDER BY id`, [TERMINAL]);
  for (const v of open) broken.push(`video ${v.id} is still ${v.status}`);

  // Usage rows = succeeded videos, each once (video_id is the key), with the video's seconds and mode.
  const unbilled = await app.sql<{ id: string }>(`SELECT v.id FROM videos v LEFT JOIN usage_records u ON u.video_id = v.id WHERE v.status = 'succeeded' AND u.video_id IS NULL`);
  for (const v of unbilled) broken.push(`succeeded video ${v.id} has no usage record`);
  const wrongly = await app.sql<{ id: string; status: string | null }>(`SELECT u.video_id AS id, v.status FROM usage_records u LEFT JOIN videos v ON v.id = u.video_id WHERE v.status IS DISTINCT FROM 'succeeded'`);
  for (const u of wrongly) broken.push(`usage record for video ${u.id}, which is ${u.status ?? 'missing'}`);
  const mismatched = await app.sql<{ id: string }>(`SELECT v.id FROM videos v JOIN usage_records u ON u.video_id = v.id WHERE u.video_seconds <> v.duration_seconds OR u.livemode <> v.livemode OR u.tenant_id <> v.tenant_id`);
  for (const v of mismatched) broken.push(`usage record of video ${v.id} disagrees with the video`);

  // Every webhook delivery either arrived or failed with a recorded reason.
  const undelivered = await app.sql<{ id: string; status: string }>(`SELECT id, status FROM webhook_deliveries WHERE status <> 'succeeded' AND last_error IS NULL`);
  for (const d of undelivered) broken.push(`webhook delivery ${d.id} is ${d.status} with no recorded reason`);

  // Quota: no slot or reserved second outlives its video.
  // QuotaService's keys live under the deployment's QUEUE_PREFIX plus `:lim`.
  const q = `${redis.prefix}:lim:q`;
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  try {
    const leaseKeys = await scan(client, `${q}:leases:*`);
    for (const key of leaseKeys) {
      const held = await client.zrange(key, 0, -1);
      for (const videoId of held) broken.push(`concurrency slot still held for video ${videoId} (${key})`);
    }
    const info = await client.hkeys(`${q}:lease-info`);
    for (const videoId of info) broken.push(`quota reservation still recorded for video ${videoId}`);
    const counters = await scan(client, `${q}:used:*`);
    // Guards this check itself: videos were admitted, so counters must be found under the prefix.
    if (counters.length === 0 && (await app.sql(`SELECT 1 FROM videos LIMIT 1`)).length > 0) broken.push(`no quota counters under ${q}:used:`);
    for (const key of counters) {
      const fields = await client.hgetall(key);
      for (const [field, value] of Object.entries(fields)) {
        if (field.endsWith('reserved') && Number(value) !== 0) broken.push(`${key} ${field} = ${value}, not 0`);
      }
      // The quota counter agrees with the usage ledger it is seeded from.
      const [tenantId, period] = key.slice(`${q}:used:`.length).split(':') as [string, string];
      if (fields.settled === undefined) continue;
      const [{ s }] = (await app.sql<{ s: string | null }>(
        `SELECT sum(video_seconds) AS s FROM usage_records WHERE tenant_id = $1 AND to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') = $2`,
        [tenantId, period],
      )) as [{ s: string | null }];
      if (Number(fields.settled) !== Number(s ?? 0)) broken.push(`${key} settled = ${fields.settled}, usage records say ${s ?? 0}`);
    }
  } finally {
    client.disconnect();
  }
  return broken;
}

/**
 * Meter events at Stripe (the stand-in's store, one per identifier as Stripe keeps them) = live
 * usage rows: every live usage record has exactly one meter event, identifier = its video id, on
 * the seconds meter, with its tenant's Stripe customer and its seconds, and is marked sent; its
 * overage at a dearer resolution has one `<video>_overage` event on that resolution's meter; no
 * meter event names anything else (a resend under a new identifier would be counted twice);
 * test-mode usage is never metered nor marked sent. Call it once the relay has had time to send.
 */
export async function brokenMeterInvariants(app: TestApp, stripe: Pick<StripeStub, 'meterEvents'>, eventName = 'leoma_video_seconds'): Promise<string[]> {
  const broken: string[] = [];
  const rows = await app.sql<{ video_id: string; livemode: boolean; video_seconds: number; overage_seconds: number; resolution: string; meter_sent_at: Date | null; customer: string | null }>(
    `SELECT u.video_id, u.livemode, u.video_seconds, u.overage_seconds, u.resolution, u.meter_sent_at, a.stripe_customer_id AS customer
       FROM usage_records u LEFT JOIN billing_accounts a ON a.tenant_id = u.tenant_id ORDER BY u.video_id`,
  );
  const surcharged = surchargedResolutions();
  const expected = new Map<string, { eventName: string; customer: string | null; value: number }>();
  for (const r of rows) {
    const main = stripe.meterEvents.get(r.video_id);
    if (!r.livemode) {
      if (main) broken.push(`test-mode usage ${r.video_id} was metered at Stripe`);
      if (r.meter_sent_at) broken.push(`test-mode usage ${r.video_id} is marked sent`);
      continue;
    }
    expected.set(r.video_id, { eventName, customer: r.customer, value: r.video_seconds });
    if (r.overage_seconds > 0 && surcharged.includes(r.resolution as Resolution)) {
      expected.set(`${r.video_id}_overage`, { eventName: surchargeMeterEventName(eventName, r.resolution as Resolution), customer: r.customer, value: r.overage_seconds });
    }
    if (!main) broken.push(`live usage ${r.video_id} has no meter event at Stripe${r.customer ? '' : ' (its tenant has no Stripe customer)'}`);
    else if (!r.meter_sent_at) broken.push(`live usage ${r.video_id} is at Stripe but its meter_sent_at is not set`);
  }
  if (expected.size === 0) broken.push('no live usage records: the meter check would hold vacuously');
  for (const [identifier, want] of expected) {
    const ev = stripe.meterEvents.get(identifier);
    if (!ev) {
      if (identifier.endsWith('_overage')) broken.push(`overage of ${identifier} has no meter event at Stripe`);
      continue;
    }
    if (ev.event_name !== want.eventName) broken.push(`meter event ${identifier} is on ${ev.event_name}, not ${want.eventName}`);
    if (ev.payload?.stripe_customer_id !== want.customer) broken.push(`meter event ${identifier} is for customer ${ev.payload?.stripe_customer_id}, not ${want.customer}`);
    if (Number(ev.payload?.value) !== want.value) broken.push(`meter event ${identifier} has value ${ev.payload?.value}, the usage record ${want.value}`);
  }
  for (const identifier of stripe.meterEvents.keys()) {
    if (!expected.has(identifier)) broken.push(`meter event ${identifier} at Stripe has no live usage record`);
  }
  return broken;
}

async function scan(client: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
