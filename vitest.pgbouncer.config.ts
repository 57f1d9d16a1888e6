import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The PgBouncer job (`npm test` runs it after the main suite): the end-to-end files whose product
 * paths lean on PostgreSQL, run again with every app they start (API, workers, built processes)
 * reaching the database only through one Debian PgBouncer 1.18 in transaction mode with two server
 * connections per database (test/support/pgbouncer-setup.ts, TEST_DATABASE_VIA). Set-up,
 * migrations and the tests' own SQL assertions connect directly, as docs/operations.md has
 * operators run migrations. Run alone: `npx vitest run --config vitest.pgbouncer.config.ts [file]`.
 */
process.env.TEST_DATABASE_VIA = 'pgbouncer';

/** Each file with what it puts through the pooler. */
const SUBSET: Record<string, string> = {
  'test/platform/database-via.e2e.test.ts': "the apps' pools really reach PostgreSQL through the pooler's two server sessions",
  // Videos and the queue: submit, dispatch, complete, fail, poll/list/events, the concurrency queue.
  'test/videos/videos-happy-path.e2e.test.ts': 'submit → dispatch → succeed, outputs, events, charge',
  'test/videos/video-reads.e2e.test.ts': 'the hot reads: poll and list on the raw pool',
  'test/videos/videos-failure.e2e.test.ts': 'failure transitions and refunds',
  'test/videos/video-queue.e2e.test.ts': 'queued videos, slots, per-tenant queue locks (pg_advisory_xact_lock), expiry',
  'test/videos/video-queue-restart.e2e.test.ts': 'the queue picked up again by a restarted worker',
  'test/videos/requeue-stale.e2e.test.ts': 'the stale-video sweep finding rows to requeue',
  'test/videos/video-events-sse.e2e.test.ts': 'event streams: the change feed polling the table',
  'test/videos/submit-round-trips.e2e.test.ts': "submit's statements, one transaction",
  // Batches: creation, the scheduler's FOR UPDATE SKIP LOCKED claims, cancel/retry, files out.
  'test/batches/batches.e2e.test.ts': 'batch creation, scheduling and completion',
  'test/batches/batches-control.e2e.test.ts': 'cancel, pause, retry: conditional transitions',
  'test/batches/batch-files-out.e2e.test.ts': 'results and archive read back from rows and files',
  // Billing and usage: quota leases, settlement, metering outbox, Stripe events, credit.
  'test/usage/costs.e2e.test.ts': 'usage rows, costs and the Stripe meter relay',
  'test/billing/meter-relay-steps.e2e.test.ts': 'the meter outbox relay step by step',
  'test/billing/credit-purchases.e2e.test.ts': 'credit bought through Checkout, Stripe events applied once',
  'test/limits/quota-lease.e2e.test.ts': 'quota leases under concurrent submits',
  'test/limits/quota-settlement.e2e.test.ts': 'quota settled at the end of a video',
  'test/limits/concurrency-limit.e2e.test.ts': 'concurrent-video slots across API and worker',
  // Webhooks and the outbox.
  'test/webhooks/webhook-delivery.e2e.test.ts': 'deliveries, retries, signatures',
  'test/webhooks/webhook-outbox.e2e.test.ts': 'the outbox relay claiming rows (SKIP LOCKED)',
  'test/webhooks/webhook-recovery.e2e.test.ts': 'deliveries resumed after a worker restart',
  // Treasury: burns under the lease row, the allocation sweep.
  'test/treasury/treasury-burns.e2e.test.ts': 'allocation, live burns, finality, refunds',
  'test/treasury/treasury-double-burn.e2e.test.ts': 'never two burns for one allocation',
  'test/treasury/treasury-allocation-sweep.e2e.test.ts': 'the allocation sweep',
  // Files.
  'test/files/presigned-uploads.e2e.test.ts': 'file rows created, confirmed and consumed',
  // Keys and auth.
  'test/keys/api-keys.e2e.test.ts': 'key creation, rotation, revocation, last_used_at',
  'test/keys/auth-cache.e2e.test.ts': 'the key cache and its invalidation',
  'test/keys/key-cache-revoke-race.e2e.test.ts': 'a revoke racing a cached key',
  'test/idempotency/idempotency.e2e.test.ts': 'idempotency rows claimed and replayed',
  'test/tenants/concurrent-creation.e2e.test.ts': 'ten tenants created at once on a small pool',
  // Retention.
  'test/retention/retention-purge.e2e.test.ts': 'the purge under its transaction-scoped lock',
  'test/retention/outputs-lifecycle.e2e.test.ts': 'the retention sweep under its lease row',
};

/*
 * Left out, with why:
 * - test/platform/pgbouncer.e2e.test.ts and test/batches/batch-one-server-connection.e2e.test.ts start
 *   their own PgBouncer and run in the main suite already.
 * - Files whose PostgreSQL use is the same paths as above with a different subject (video options
 *   and post-production: aspect ratios, audio, enhance, crossfade, segments, variants; batch
 *   deadline, feasibility, limits, fairness, post-production, image archive), to keep the job
 *   within about five minutes on two cores.
 * - billing-stripe (≈100 s) and billing-subscriptions/billing-finance: Stripe's flows, whose
 *   database side (events applied once, ledger rows) credit-purchases and costs cover.
 * - Tests of one process's memory or of Redis/Sentinel outages (batch-upload-memory,
 *   batch-archive-memory, limits-redis-down, reliability/*): not about the database.
 * - API-surface, console, SDK and browser files: they read little beyond what keys and videos do.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: Object.keys(SUBSET),
    globalSetup: [...[base.test?.globalSetup ?? []].flat(), 'test/support/pgbouncer-setup.ts'],
  },
});
