import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import { afterFailedAttempt, DestinationWriter, destinationsEnv } from '../destinations/index.js';
import { appEnv } from '../platform/config/app.env.js';
import { DomainError } from '../platform/http/domain-error.js';
import { EventOutbox, resourceUrl } from '../platform/outbox/event-outbox.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { Batch } from './batch.entity.js';
import { BatchManifest } from './batch-manifest.js';
import { manifestDelivery } from './batch.presenter.js';

/**
 * The origin of the manifest's links: PUBLIC_BASE_URL when set, else where the API was reached
 * when the batch was created (what its downloaded manifest uses), so a manifest in a customer's
 * bucket never holds relative links. Only batches from before that was kept fall back to the path.
 */
export function manifestOrigin(batch: Batch): string {
  return appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? batch.apiOrigin ?? '';
}

/**
 * Writes each ended batch's manifest (JSONL, the rows of GET /v1/batches/{id}/results, with the
 * API's never-expiring content links) to the batch's destination. The batch's row is the outbox:
 * the transaction that ends the batch marks it `pending`; due rows are claimed in one statement
 * (attempts + 1, next try pushed out by the lease), so workers share them and a dead worker's
 * claim lapses. The manifest is streamed to a temporary file first (its length known, never whole
 * in memory), then to the store; a failure is retried with the video deliveries' backoff until
 * DESTINATION_MAX_ATTEMPTS, then `failed`. An attempt settles only the claim it made, and its
 * outcome (written or given up on) is an event in the same transaction:
 * `batch.manifest_delivered` or `batch.manifest_delivery_failed`.
 */
@Injectable()
export class BatchManifestRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BatchManifestRelay.name);
  private readonly loop = new PollLoop({
    name: 'batch manifest relay',
    run: () => this.tick(),
    next: (claimed) => (claimed > 0 ? 0 : destinationsEnv.get().DESTINATION_RELAY_INTERVAL_MS),
    afterError: () => destinationsEnv.get().DESTINATION_RELAY_INTERVAL_MS,
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly manifest: BatchManifest,
    private readonly writer: DestinationWriter,
    private readonly outbox: EventOutbox,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: claims up to DESTINATION_CONCURRENCY due manifests and writes them side by side. */
  async tick(): Promise<number> {
    const env = destinationsEnv.get();
    const [claimed] = (await this.db.query(
      `update batches set manifest_attempts = manifest_attempts + 1,
              manifest_next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
        where id in (select id from batches where manifest_status = 'pending' and manifest_next_attempt_at <= now()
                     order by manifest_next_attempt_at limit $1 for update skip locked)
        returning id`,
      [env.DESTINATION_CONCURRENCY, env.DESTINATION_LEASE_MS],
    )) as [{ id: string }[], number];
    await Promise.all(claimed.map((r) => this.deliver(r.id)));
    return claimed.length;
  }

  private async deliver(id: string): Promise<void> {
    const batch = await this.db.getRepository(Batch).findOneByOrFail({ id });
    let key: string | null = batch.manifestKey;
    let failure: string | null = null;
    let gone = false;
    try {
      key ??= await this.writer.manifestKeyOf(batch.tenantId, batch.deliveryTarget!, batch.id);
      gone = key === null;
      if (key === null) throw new DomainError('destination_unreachable', `Destination '${batch.deliveryTarget!.destination_id}' was deleted.`);
      await this.write(batch, key);
    } catch (e) {
      failure = e instanceof DomainError ? e.message : `${(e as Error).name}: ${(e as Error).message}`.slice(0, 500);
      this.logger.warn(`manifest of ${id} to ${batch.deliveryTarget?.destination_id}, attempt ${batch.manifestAttempts}: ${failure}`);
    }
    // A deleted (or erased) destination will not come back: no retries.
    const next = failure === null ? null : gone ? { last: true as const } : afterFailedAttempt(batch.manifestAttempts);
    const patch =
      failure === null
        ? { manifestStatus: 'delivered' as const, manifestKey: key, manifestError: null, manifestDeliveredAt: new Date() }
        : next?.last
          ? { manifestStatus: 'failed' as const, manifestKey: key, manifestError: failure }
          : { manifestKey: key, manifestError: failure, manifestNextAttemptAt: new Date(Date.now() + (next as { delayMs: number }).delayMs) };
    await this.db.transaction(async (tx) => {
      const res = await tx.update(Batch, { id, manifestAttempts: batch.manifestAttempts, manifestStatus: 'pending' }, patch);
      if (!res.affected || (failure !== null && !next?.last)) return;
      const settled = { ...batch, ...patch } as Batch;
      await this.outbox.record(tx, {
        type: failure === null ? 'batch.manifest_delivered' : 'batch.manifest_delivery_failed',
        tenantId: batch.tenantId,
        subjectId: batch.id,
        livemode: batch.livemode,
        data: {
          id: batch.id,
          object: 'batch',
          status: batch.status,
          url: resourceUrl(`/v1/batches/${batch.id}`),
          manifest_delivery: manifestDelivery(settled)!,
        },
      });
    });
  }

  private async write(batch: Batch, key: string): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'leoma-manifest-'));
    try {
      const path = join(dir, `${batch.id}.jsonl`);
      const file = createWriteStream(path);
      const done = finished(file);
      const origin = manifestOrigin(batch);
      await this.manifest.stream(batch, 'jsonl', file, (videoId) => `${origin}/v1/videos/${videoId}/content`);
      await done;
      const { size } = await stat(path);
      await this.writer.put(batch.tenantId, batch.deliveryTarget!, key, createReadStream(path), size, 'application/jsonl');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
