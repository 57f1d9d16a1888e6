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

const BATCH_COUNTS = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;

/**
 * The promises about batches, read from PostgreSQL: a batch's counts are its items' states (the
 * trigger's bookkeeping, re-counted from the rows); every input row is either one item or one
 * rejected row, each row number once; a finished batch has no item still to run, its status
 * follows from its counts, and an open one is not left `in_progress` with every item ended.
 * An item here is a row of `videos` with the batch's id and a row number (a retried item's
 * failed attempt loses its row number and is no longer counted). Call it once the scenario has
 * settled, like brokenInvariants.
 */
export async function brokenBatchInvariants(app: TestApp): Promise<string[]> {
  const broken: string[] = [];
  const batches = await app.sql<{ id: string; tenant_id: string; status: string; total: number; rejected: number } & Record<(typeof BATCH_COUNTS)[number], number>>(
    `SELECT id, tenant_id, status, total, queued, running, succeeded, failed, canceled, jsonb_array_length(rejected_rows) AS rejected FROM batches ORDER BY id`,
  );
  for (const b of batches) {
    const items = await app.sql<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM videos WHERE batch_id = $1 AND batch_index IS NOT NULL GROUP BY 1`, [b.id]);
    const counted = Object.fromEntries(items.map((i) => [i.status, i.n])) as Record<string, number>;
    for (const s of BATCH_COUNTS) if (b[s] !== (counted[s] ?? 0)) broken.push(`batch ${b.id} counts ${s} = ${b[s]}, its items say ${counted[s] ?? 0}`);
    const itemCount = items.reduce((sum, i) => sum + i.n, 0);
    if (b.total !== itemCount) broken.push(`batch ${b.id} total = ${b.total}, it has ${itemCount} items`);
    for (const s of Object.keys(counted)) if (!(BATCH_COUNTS as readonly string[]).includes(s)) broken.push(`batch ${b.id} has ${counted[s]} item(s) in status ${s}`);

    // Every input row once: items and rejected rows together number 1..n without gaps or repeats.
    const [rows] = await app.sql<{ bad: number }>(
      `WITH r AS (SELECT batch_index AS row FROM videos WHERE batch_id = $1 AND batch_index IS NOT NULL
                  UNION ALL SELECT (x->>'row')::int FROM batches, jsonb_array_elements(rejected_rows) x WHERE id = $1)
       SELECT (count(*) <> count(DISTINCT row) OR coalesce(min(row), 1) <> 1 OR coalesce(max(row), 0) <> count(*))::int AS bad FROM r`,
      [b.id],
    );
    if (rows!.bad) broken.push(`batch ${b.id}: its items and rejected rows are not each input row once`);
    const foreign = await app.sql<{ id: string }>(`SELECT id FROM videos WHERE batch_id = $1 AND tenant_id <> $2`, [b.id, b.tenant_id]);
    for (const v of foreign) broken.push(`batch ${b.id} has item ${v.id} of another tenant`);

    const open = (counted.queued ?? 0) + (counted.running ?? 0);
    if ((b.status === 'completed' || b.status === 'failed') && open > 0) broken.push(`batch ${b.id} is ${b.status} with ${open} item(s) not ended`);
    if (b.status === 'in_progress' && open === 0) broken.push(`batch ${b.id} is still in_progress with every item ended`);
    if (b.status === 'validating') broken.push(`batch ${b.id} is still validating`);
    if (b.status === 'canceled' && (counted.queued ?? 0) > 0) broken.push(`batch ${b.id} is canceled with ${counted.queued} item(s) still queued`);
    // A batch that never started (refused while its items were written) is failed with no items.
    const expected = b.succeeded === 0 && b.failed > 0 ? 'failed' : 'completed';
    if (itemCount > 0 && (b.status === 'completed' || b.status === 'failed') && b.status !== expected) broken.push(`batch ${b.id} is ${b.status}; its counts make it ${expected}`);
  }
  return broken;
}
