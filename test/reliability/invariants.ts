import { Redis } from 'ioredis';
import type { TestApp } from '../support/test-app.js';

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
      // The quota counter agrees with the usage ledger it is seeded from, mode by mode:
      // `used:<tenant>:<period>` counts live seconds, `used:<tenant>:test:<period>` test seconds.
      const parts = key.slice(`${q}:used:`.length).split(':');
      const [tenantId, period, livemode] = parts.length === 3 && parts[1] === 'test' ? [parts[0]!, parts[2]!, false] : [parts[0]!, parts[1]!, true];
      if (fields.settled === undefined) continue;
      const [{ s }] = (await app.sql<{ s: string | null }>(
        `SELECT sum(video_seconds) AS s FROM usage_records WHERE tenant_id = $1 AND livemode = $3 AND to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') = $2`,
        [tenantId, period, livemode],
      )) as [{ s: string | null }];
      if (Number(fields.settled) !== Number(s ?? 0)) broken.push(`${key} settled = ${fields.settled}, usage records say ${s ?? 0}`);
    }
  } finally {
    client.disconnect();
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
