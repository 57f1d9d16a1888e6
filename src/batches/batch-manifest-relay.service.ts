import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import { afterFailedAttempt, DestinationRelay, DestinationWriter } from '../destinations/index.js';
import { appEnv } from '../platform/config/app.env.js';
import { DomainError } from '../platform/http/domain-error.js';
import { EventOutbox, resourceUrl } from '../platform/outbox/event-outbox.js';
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

/** A claimed batch and what its attempt learned: the manifest's key, and whether its destination is gone. */
interface ManifestAttempt {
  batch: Batch;
  key: string | null;
  gone: boolean;
}

/**
 * Writes each ended batch's manifest (JSONL, the rows of GET /v1/batches/{id}/results, with the
 * API's never-expiring content links) to the batch's destination. The batch's row is the outbox:
 * the transaction that ends the batch marks it `pending`, and DestinationRelay's loop claims it
 * (workers share them and a dead worker's claim lapses). The manifest is streamed to a temporary
 * file first (its length known, never whole in memory), then to the store; a failure is retried
 * with the video deliveries' backoff until DESTINATION_MAX_ATTEMPTS, then `failed`. An attempt
 * settles only the claim it made, and its outcome (written or given up on) is an event in the same
 * transaction: `batch.manifest_delivered` or `batch.manifest_delivery_failed`.
 */
@Injectable()
export class BatchManifestRelay extends DestinationRelay<ManifestAttempt> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly manifest: BatchManifest,
    private readonly writer: DestinationWriter,
    private readonly outbox: EventOutbox,
  ) {
    super('batch manifest relay');
  }

  protected async claim(limit: number, leaseMs: number): Promise<string[]> {
    const [claimed] = (await this.db.query(
      `update batches set manifest_attempts = manifest_attempts + 1,
              manifest_next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
        where id in (select id from batches where manifest_status = 'pending' and manifest_next_attempt_at <= now()
                     order by manifest_next_attempt_at limit $1 for update skip locked)
        returning id`,
      [limit, leaseMs],
    )) as [{ id: string }[], number];
    return claimed.map((r) => r.id);
  }

  protected async load(id: string): Promise<ManifestAttempt> {
    const batch = await this.db.getRepository(Batch).findOneByOrFail({ id });
    return { batch, key: batch.manifestKey, gone: false };
  }

  protected describe({ batch }: ManifestAttempt): string {
    return `manifest of ${batch.id} to ${batch.deliveryTarget?.destination_id}, attempt ${batch.manifestAttempts}`;
  }

  protected async attempt(a: ManifestAttempt): Promise<void> {
    const { batch } = a;
    a.key ??= await this.writer.manifestKeyOf(batch.tenantId, batch.deliveryTarget!, batch.id);
    a.gone = a.key === null;
    if (a.key === null) throw new DomainError('destination_unreachable', `Destination '${batch.deliveryTarget!.destination_id}' was deleted.`);
    await this.write(batch, a.key);
  }

  protected async settle({ batch, key, gone }: ManifestAttempt, failure: string | null): Promise<void> {
    // A deleted (or erased) destination will not come back: no retries.
    const next = failure === null ? null : gone ? { last: true as const } : afterFailedAttempt(batch.manifestAttempts);
    const patch =
      failure === null
        ? { manifestStatus: 'delivered' as const, manifestKey: key, manifestError: null, manifestDeliveredAt: new Date() }
        : next?.last
          ? { manifestStatus: 'failed' as const, manifestKey: key, manifestError: failure }
          : { manifestKey: key, manifestError: failure, manifestNextAttemptAt: new Date(Date.now() + (next as { delayMs: number }).delayMs) };
    await this.db.transaction(async (tx) => {
      const res = await tx.update(Batch, { id: batch.id, manifestAttempts: batch.manifestAttempts, manifestStatus: 'pending' }, patch);
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
