import { Redis } from 'ioredis';
import type { TestApp } from '../support/test-app.js';
import type { StripeStub } from '../support/stripe-stub/server.js';
import type { FakeSubtensor } from '../support/fake-subtensor.js';
import { landedBurns } from '../support/treasury.js';
import { surchargedResolutions, surchargeMeterEventName } from '../../src/usage/index.js';
import type { Resolution } from '../../src/core/video-format.js';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

/**
 * The promises Leoma makes whatever happened to its processes, read from the stores themselves
 * (PostgreSQL and Redis), not from the API. Returns every broken promise, described; an empty
 * list means all hold. Call it once the scenario has settled (every accepted video given time to
 * end).
 */
export async function brokenInvariants(app: TestApp, redis: { url: string /** QUEUE_PREFIX */; prefix: string }): Promise<string[]> {
  const broken: string[] = [];

  // Every accepted video ends in a terminal state.
  const open = await app.sql<{ id: string; status: string }>(`SELECT id, status FROM videos WHERE status <> ALL($1) ORDER BY id`, [TERMINAL]);
  for (const v of open) broken.push(`video ${v.id} is still ${v.status}`);

  // Usage rows = succeeded videos, each once (video_id is the key), with the video's seconds and mode.
  const unbilled = await app.sql<{ id: string }>(
    `SELECT v.id FROM videos v LEFT JOIN usage_records u ON u.video_id = v.id WHERE v.status = 'succeeded' AND u.video_id IS NULL`,
  );
  for (const v of unbilled) broken.push(`succeeded video ${v.id} has no usage record`);
  const wrongly = await app.sql<{ id: string; status: string | null }>(
    `SELECT u.video_id AS id, v.status FROM usage_records u LEFT JOIN videos v ON v.id = u.video_id WHERE v.status IS DISTINCT FROM 'succeeded'`,
  );
  for (const u of wrongly) broken.push(`usage record for video ${u.id}, which is ${u.status ?? 'missing'}`);
  const mismatched = await app.sql<{ id: string }>(
    `SELECT v.id FROM videos v JOIN usage_records u ON u.video_id = v.id WHERE u.video_seconds <> v.duration_seconds OR u.livemode <> v.livemode OR u.tenant_id <> v.tenant_id`,
  );
  for (const v of mismatched) broken.push(`usage record of video ${v.id} disagrees with the video`);

  // Every webhook delivery either arrived or failed with a recorded reason.
  const undelivered = await app.sql<{ id: string; status: string }>(
    `SELECT id, status FROM webhook_deliveries WHERE status <> 'succeeded' AND last_error IS NULL`,
  );
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

/**
 * Meter events at Stripe (the stand-in's store, as Stripe counts them) = live usage rows, step by
 * step: every live usage record has exactly one meter event, identifier = its video id, on the
 * seconds meter, with its tenant's Stripe customer and its seconds; its overage at a dearer
 * resolution has one `<video>_overage` event on that resolution's meter; the credit it drew has one
 * customer balance credit of that amount. Each is counted by Stripe exactly once (a resend after
 * Stripe's 24-hour window would be counted again). A step recorded done (`meter_*_sent_at`) is at
 * Stripe; a row marked sent has every step it needs recorded; a row the relay gave up on is named
 * with the step Stripe lacks. No meter event names anything else; test-mode usage is never metered
 * nor marked. Call it once the relay has had time to send.
 */
export async function brokenMeterInvariants(
  app: TestApp,
  stripe: Pick<StripeStub, 'meterEvents' | 'meterEventsCounted' | 'store'>,
  eventName = 'leoma_video_seconds',
): Promise<string[]> {
  const broken: string[] = [];
  const rows = await app.sql<{
    video_id: string;
    livemode: boolean;
    video_seconds: number;
    overage_seconds: number;
    resolution: string;
    credits_applied_minor: number;
    meter_sent_at: Date | null;
    meter_event_sent_at: Date | null;
    meter_surcharge_sent_at: Date | null;
    meter_credit_sent_at: Date | null;
    meter_gave_up_at: Date | null;
    customer: string | null;
  }>(
    `SELECT u.video_id, u.livemode, u.video_seconds, u.overage_seconds, u.resolution, u.credits_applied_minor, u.meter_sent_at,
            u.meter_event_sent_at, u.meter_surcharge_sent_at, u.meter_credit_sent_at, u.meter_gave_up_at, a.stripe_customer_id AS customer
       FROM usage_records u LEFT JOIN billing_accounts a ON a.tenant_id = u.tenant_id ORDER BY u.video_id`,
  );
  const surcharged = surchargedResolutions();
  const counted = new Map<string, number>();
  for (const ev of stripe.meterEventsCounted) counted.set(ev.identifier, (counted.get(ev.identifier) ?? 0) + 1);
  const credits = new Map<string, Record<string, any>[]>();
  for (const t of stripe.store.customer_balance_transaction!.values()) {
    const id = t.metadata?.video_id;
    if (id) credits.set(id, [...(credits.get(id) ?? []), t]);
  }
  const expected = new Map<string, { eventName: string; customer: string | null; value: number }>();
  for (const r of rows) {
    const main = stripe.meterEvents.get(r.video_id);
    if (!r.livemode) {
      if (main) broken.push(`test-mode usage ${r.video_id} was metered at Stripe`);
      if (credits.has(r.video_id)) broken.push(`test-mode usage ${r.video_id} has a balance credit at Stripe`);
      if (r.meter_sent_at || r.meter_event_sent_at || r.meter_surcharge_sent_at || r.meter_credit_sent_at)
        broken.push(`test-mode usage ${r.video_id} is marked sent`);
      continue;
    }
    expected.set(r.video_id, { eventName, customer: r.customer, value: r.video_seconds });
    const surcharge = r.overage_seconds > 0 && surcharged.includes(r.resolution as Resolution);
    if (surcharge) {
      expected.set(`${r.video_id}_overage`, {
        eventName: surchargeMeterEventName(eventName, r.resolution as Resolution),
        customer: r.customer,
        value: r.overage_seconds,
      });
    }
    const steps = [
      { name: 'meter event', due: true, done: r.meter_event_sent_at, atStripe: Boolean(main) },
      { name: 'surcharge meter event', due: surcharge, done: r.meter_surcharge_sent_at, atStripe: stripe.meterEvents.has(`${r.video_id}_overage`) },
      { name: 'balance credit', due: r.credits_applied_minor > 0, done: r.meter_credit_sent_at, atStripe: credits.has(r.video_id) },
    ];
    for (const step of steps) {
      if (!step.due && step.done) broken.push(`live usage ${r.video_id} records a ${step.name} it does not need`);
      if (step.done && !step.atStripe) broken.push(`live usage ${r.video_id} records its ${step.name} as sent, but Stripe has none`);
    }
    const missing = steps.filter((s) => s.due && !s.done);
    if (r.meter_gave_up_at) {
      if (r.meter_sent_at) broken.push(`live usage ${r.video_id} is marked both sent and given up`);
      for (const step of missing) broken.push(`live usage ${r.video_id} gave up before its ${step.name} reached Stripe`);
      if (!missing.length) broken.push(`live usage ${r.video_id} gave up with every step done`);
      continue;
    }
    if (!main) broken.push(`live usage ${r.video_id} has no meter event at Stripe${r.customer ? '' : ' (its tenant has no Stripe customer)'}`);
    if (r.meter_sent_at && missing.length) broken.push(`live usage ${r.video_id} is marked sent without its ${missing.map((s) => s.name).join(', ')}`);
    if (!r.meter_sent_at) broken.push(`live usage ${r.video_id} is not marked sent (missing: ${missing.map((s) => s.name).join(', ') || 'none'})`);
    const credit = credits.get(r.video_id) ?? [];
    if (credit.length > 1) broken.push(`live usage ${r.video_id} has ${credit.length} balance credits at Stripe`);
    if (credit.length && credit[0]!.amount !== -r.credits_applied_minor)
      broken.push(`balance credit of ${r.video_id} is ${credit[0]!.amount}, the usage record drew ${r.credits_applied_minor}`);
  }
  if (expected.size === 0) broken.push('no live usage records: the meter check would hold vacuously');
  for (const [identifier, want] of expected) {
    const ev = stripe.meterEvents.get(identifier);
    if (!ev) {
      if (identifier.endsWith('_overage')) broken.push(`overage of ${identifier} has no meter event at Stripe`);
      continue;
    }
    if ((counted.get(identifier) ?? 0) !== 1) broken.push(`meter event ${identifier} was counted ${counted.get(identifier) ?? 0} times by Stripe`);
    if (ev.event_name !== want.eventName) broken.push(`meter event ${identifier} is on ${ev.event_name}, not ${want.eventName}`);
    if (ev.payload?.stripe_customer_id !== want.customer)
      broken.push(`meter event ${identifier} is for customer ${ev.payload?.stripe_customer_id}, not ${want.customer}`);
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

/** Burns that hold their funds (src/treasury/burn.entity.ts COMMITTED): a cent they cover is spent or about to be. */
const LIVE_BURNS = ['planned', 'signed', 'submitted', 'in_block', 'finalized'];
/** A transaction may still land for these; a settled scenario leaves none. */
const OPEN_BURNS = ['planned', 'signed', 'submitted', 'in_block'];

/**
 * Revenue → allocations → burns, read from PostgreSQL once the treasury has settled: every revenue
 * entry is allocated exactly once at its share (rounded toward zero, refunds negative); a burn's
 * allocation links add up to the cents it covers; no cent of an allocation is covered by two live
 * burns; a finalized burn carries its block, extrinsic index and hashes, a failed or expired one
 * its reason; no burn is left in flight; and burned + in flight never exceeds what was funded.
 * `shareBps` (TREASURY_BURN_SHARE_BPS) is checked against every allocation when given. A retry
 * is signed with its expired attempt's nonce (so at most one of the two can ever be included), and
 * of one attempt and its retry at most one is recorded on chain. With `chain` (the test node) and
 * `signer` (the account that signs burns: a proxy of the coldkey, or the coldkey), the chain itself is read too: every burn transaction it included
 * is the one recorded by exactly one burn, so no allocation was paid for by two transactions.
 */
export async function brokenTreasuryInvariants(
  app: TestApp,
  opts: { shareBps?: number; chain?: Pick<FakeSubtensor, 'blockAt' | 'best' | 'registry'>; signer?: string } = {},
): Promise<string[]> {
  const broken: string[] = [];

  const unallocated = await app.sql<{ id: string }>(
    `SELECT r.id FROM revenue_entries r WHERE NOT EXISTS (SELECT 1 FROM treasury_allocations a WHERE a.revenue_entry_id = r.id)`,
  );
  for (const r of unallocated) broken.push(`revenue entry ${r.id} has no allocation`);
  const twice = await app.sql<{ id: string; n: number }>(
    `SELECT revenue_entry_id AS id, count(*)::int AS n FROM treasury_allocations GROUP BY 1 HAVING count(*) > 1`,
  );
  for (const r of twice) broken.push(`revenue entry ${r.id} is allocated ${r.n} times`);
  const orphans = await app.sql<{ id: string }>(
    `SELECT a.id FROM treasury_allocations a LEFT JOIN revenue_entries r ON r.id = a.revenue_entry_id WHERE r.id IS NULL`,
  );
  for (const a of orphans) broken.push(`allocation ${a.id} has no revenue entry`);
  // PostgreSQL's bigint division truncates toward zero, as shareOf does: a refund takes back exactly what its invoice gave.
  const misallocated = await app.sql<{ id: string; amount: string; expected: string; bps: number }>(
    `SELECT a.id, a.amount_minor::text AS amount, (r.amount_minor * a.share_bps / 10000)::text AS expected, a.share_bps AS bps
       FROM treasury_allocations a JOIN revenue_entries r ON r.id = a.revenue_entry_id
      WHERE a.amount_minor <> r.amount_minor * a.share_bps / 10000 OR a.revenue_minor <> r.amount_minor`,
  );
  for (const a of misallocated) broken.push(`allocation ${a.id} is ${a.amount} cents, its entry's share is ${a.expected} (${a.bps} bps)`);
  if (opts.shareBps !== undefined) {
    const offShare = await app.sql<{ id: string; bps: number }>(`SELECT id, share_bps AS bps FROM treasury_allocations WHERE share_bps <> $1`, [opts.shareBps]);
    for (const a of offShare) broken.push(`allocation ${a.id} took ${a.bps} bps, the configured share is ${opts.shareBps}`);
  }

  // A burn's links to allocations add up to the cents it covers, and only positive allocations are covered.
  const unlinked = await app.sql<{ id: string; covered: string; linked: string }>(
    `SELECT b.id, b.covered_minor::text AS covered, COALESCE(SUM(ba.amount_minor), 0)::text AS linked
       FROM treasury_burns b LEFT JOIN treasury_burn_allocations ba ON ba.burn_id = b.id
      GROUP BY b.id, b.covered_minor HAVING COALESCE(SUM(ba.amount_minor), 0) <> b.covered_minor`,
  );
  for (const b of unlinked) broken.push(`burn ${b.id} covers ${b.covered} cents but its allocation links add up to ${b.linked}`);
  const badLinks = await app.sql<{ burn: string; id: string }>(
    `SELECT ba.burn_id AS burn, ba.allocation_id AS id FROM treasury_burn_allocations ba LEFT JOIN treasury_allocations a ON a.id = ba.allocation_id
      WHERE a.id IS NULL OR a.amount_minor <= 0 OR ba.amount_minor <= 0`,
  );
  for (const l of badLinks) broken.push(`burn ${l.burn} links allocation ${l.id}, which is missing, a refund, or linked for nothing`);
  // An allocation may be split across burns, but no cent of it is covered by two live burns.
  const overCovered = await app.sql<{ id: string; amount: string; covered: string; burns: string }>(
    `SELECT a.id, a.amount_minor::text AS amount, SUM(ba.amount_minor)::text AS covered, string_agg(b.id, ', ' ORDER BY b.id) AS burns
       FROM treasury_allocations a JOIN treasury_burn_allocations ba ON ba.allocation_id = a.id JOIN treasury_burns b ON b.id = ba.burn_id
      WHERE b.status = ANY($1) GROUP BY a.id, a.amount_minor HAVING SUM(ba.amount_minor) > a.amount_minor`,
    [LIVE_BURNS],
  );
  for (const a of overCovered) broken.push(`allocation ${a.id} of ${a.amount} cents is covered ${a.covered} cents by the live burns ${a.burns}`);

  // What the chain said is recorded: a finalized burn has its block, index and hashes; a failure or expiry its reason.
  const unrecorded = await app.sql<{ id: string; status: string }>(
    `SELECT id, status FROM treasury_burns
      WHERE (status IN ('finalized', 'in_block') AND (block_number IS NULL OR block_hash IS NULL OR extrinsic_index IS NULL OR extrinsic_hash IS NULL))
         OR (status = 'finalized' AND (tao_spent_rao IS NULL OR alpha_burned IS NULL))
         OR (status IN ('failed', 'expired') AND failure_reason IS NULL)
         OR (status = 'expired' AND block_number IS NOT NULL)`,
  );
  for (const b of unrecorded) broken.push(`burn ${b.id} is ${b.status} without the chain's record (block, index, hashes, amounts) or a reason`);
  const open = await app.sql<{ id: string; status: string }>(`SELECT id, status FROM treasury_burns WHERE status = ANY($1) ORDER BY id`, [OPEN_BURNS]);
  for (const b of open) broken.push(`burn ${b.id} is still ${b.status}`);
  // One transaction, one burn: the same extrinsic or the same signer nonce on chain is never recorded for two burns.
  const sameTx = await app.sql<{ key: string; burns: string }>(
    `SELECT key, string_agg(id, ', ' ORDER BY id) AS burns FROM (
        SELECT id, 'extrinsic ' || extrinsic_hash AS key FROM treasury_burns WHERE extrinsic_hash IS NOT NULL AND status = ANY($1)
        UNION ALL SELECT id, 'block ' || block_number || '-' || extrinsic_index FROM treasury_burns WHERE block_number IS NOT NULL
        UNION ALL SELECT id, 'nonce ' || signer || '/' || nonce FROM treasury_burns WHERE block_number IS NOT NULL) k
      GROUP BY key HAVING count(*) > 1`,
    [LIVE_BURNS],
  );
  for (const t of sameTx) broken.push(`${t.key} is recorded for the burns ${t.burns}`);
  // A retry reuses its expired attempt's nonce: if the attempt was alive after all, only one of the two can land.
  const newNonce = await app.sql<{ id: string; nonce: number; original: number }>(
    `SELECT r.id, r.nonce, o.nonce AS original FROM treasury_burns r JOIN treasury_burns o ON o.id = r.retry_of
      WHERE r.nonce IS NOT NULL AND (r.nonce IS DISTINCT FROM o.nonce OR r.signer IS DISTINCT FROM o.signer)`,
  );
  for (const r of newNonce) broken.push(`retry ${r.id} was signed with nonce ${r.nonce}, its expired attempt with ${r.original}`);
  const bothOnChain = await app.sql<{ id: string; retry: string }>(
    `SELECT o.id, r.id AS retry FROM treasury_burns r JOIN treasury_burns o ON o.id = r.retry_of WHERE r.block_number IS NOT NULL AND o.block_number IS NOT NULL`,
  );
  for (const b of bothOnChain) broken.push(`burn ${b.id} and its retry ${b.retry} are both recorded on chain`);
  if (opts.chain && opts.signer) {
    const recorded = await app.sql<{ id: string; block_number: string; extrinsic_index: number; extrinsic_hash: string }>(
      `SELECT id, block_number::text, extrinsic_index, extrinsic_hash FROM treasury_burns WHERE block_number IS NOT NULL AND status IN ('finalized', 'failed')`,
    );
    const landed = landedBurns(opts.chain, opts.signer);
    if (landed.length === 0 && recorded.length > 0) broken.push('no burn transaction found on the test chain: the chain check would hold vacuously');
    for (const tx of landed) {
      const mine = recorded.filter((b) => Number(b.block_number) === tx.block.number && b.extrinsic_index === tx.index);
      if (mine.length !== 1)
        broken.push(
          `burn transaction ${tx.hash} (nonce ${tx.nonce}) landed in block ${tx.block.number}-${tx.index}, recorded by ${mine.length} burns: funds spent twice or unaccounted for`,
        );
      else if (mine[0]!.extrinsic_hash !== tx.hash)
        broken.push(`burn ${mine[0]!.id} records ${mine[0]!.extrinsic_hash}, the chain has ${tx.hash} at ${tx.block.number}-${tx.index}`);
    }
  }

  // Funds are either available or committed, never both: per currency's pool, burned + in flight ≤ funded, in RAO and in minor units.
  const pools = await app.sql<{ currency: string; funded_rao: string; committed_rao: string; funded_minor: string; committed_minor: string }>(
    `WITH cur AS (SELECT currency FROM treasury_fundings UNION SELECT currency FROM treasury_burns)
     SELECT c.currency,
            (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_fundings f WHERE f.currency = c.currency)::text AS funded_rao,
            (SELECT COALESCE(SUM(fiat_minor), 0) FROM treasury_fundings f WHERE f.currency = c.currency)::text AS funded_minor,
            (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_burns b WHERE b.status = ANY($1) AND b.currency = c.currency)::text AS committed_rao,
            (SELECT COALESCE(SUM(covered_minor), 0) FROM treasury_burns b WHERE b.status = ANY($1) AND b.currency = c.currency)::text AS committed_minor
       FROM cur c ORDER BY c.currency`,
    [LIVE_BURNS],
  );
  for (const p of pools) {
    if (BigInt(p.committed_rao) > BigInt(p.funded_rao))
      broken.push(`${p.currency} burns hold ${p.committed_rao} RAO, only ${p.funded_rao} was funded in ${p.currency}`);
    if (BigInt(p.committed_minor) > BigInt(p.funded_minor))
      broken.push(`${p.currency} burns cover ${p.committed_minor}, only ${p.funded_minor} were funded in ${p.currency}`);
  }
  // Two currencies are never added together: a burn covers allocations in its own currency only, and a funding pays for allocations in its own.
  const crossed = await app.sql<{ burn: string; id: string; a: string; b: string }>(
    `SELECT ba.burn_id AS burn, ba.allocation_id AS id, a.currency AS a, b.currency AS b FROM treasury_burn_allocations ba
       JOIN treasury_allocations a ON a.id = ba.allocation_id JOIN treasury_burns b ON b.id = ba.burn_id WHERE a.currency <> b.currency`,
  );
  for (const l of crossed) broken.push(`${l.b} burn ${l.burn} covers the ${l.a} allocation ${l.id}`);
  const overFunded = await app.sql<{ currency: string; funded: string; allocated: string }>(
    `SELECT f.currency, SUM(f.fiat_minor)::text AS funded,
            (SELECT COALESCE(SUM(a.amount_minor), 0) FROM treasury_allocations a WHERE a.currency = f.currency)::text AS allocated
       FROM treasury_fundings f GROUP BY f.currency`,
  );
  // Refunds after funding may leave a pool funded beyond its allocations; a funding never was, when it was made (checked by the service).
  for (const f of overFunded)
    if (BigInt(f.funded) > BigInt(f.allocated) && !(await hasRefunds(app, f.currency)))
      broken.push(`${f.currency} fundings of ${f.funded} exceed its allocations of ${f.allocated}`);
  // Every proven funding names its own transfer: no transfer is counted twice.
  const reused = await app.sql<{ key: string; n: number }>(
    `SELECT transfer_block_number || '-' || transfer_extrinsic_index AS key, count(*)::int AS n FROM treasury_fundings WHERE transfer_block_number IS NOT NULL GROUP BY 1 HAVING count(*) > 1`,
  );
  for (const r of reused) broken.push(`transfer ${r.key} is named by ${r.n} fundings`);
  return broken;
}

async function hasRefunds(app: TestApp, currency: string): Promise<boolean> {
  return (await app.sql(`SELECT 1 FROM treasury_allocations WHERE currency = $1 AND amount_minor < 0 LIMIT 1`, [currency])).length > 0;
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
  const batches = await app.sql<
    { id: string; tenant_id: string; status: string; total: number; rejected: number } & Record<(typeof BATCH_COUNTS)[number], number>
  >(
    `SELECT id, tenant_id, status, total, queued, running, succeeded, failed, canceled, jsonb_array_length(rejected_rows) AS rejected FROM batches ORDER BY id`,
  );
  for (const b of batches) {
    const items = await app.sql<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM videos WHERE batch_id = $1 AND batch_index IS NOT NULL GROUP BY 1`,
      [b.id],
    );
    const counted = Object.fromEntries(items.map((i) => [i.status, i.n])) as Record<string, number>;
    for (const s of BATCH_COUNTS) if (b[s] !== (counted[s] ?? 0)) broken.push(`batch ${b.id} counts ${s} = ${b[s]}, its items say ${counted[s] ?? 0}`);
    const itemCount = items.reduce((sum, i) => sum + i.n, 0);
    if (b.total !== itemCount) broken.push(`batch ${b.id} total = ${b.total}, it has ${itemCount} items`);
    for (const s of Object.keys(counted))
      if (!(BATCH_COUNTS as readonly string[]).includes(s)) broken.push(`batch ${b.id} has ${counted[s]} item(s) in status ${s}`);

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
    if (itemCount > 0 && (b.status === 'completed' || b.status === 'failed') && b.status !== expected)
      broken.push(`batch ${b.id} is ${b.status}; its counts make it ${expected}`);
  }
  return broken;
}
