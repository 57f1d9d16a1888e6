import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../platform/http/domain-error.js';
import { EventOutbox, resourceUrl } from '../platform/outbox/event-outbox.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { assertEndpointHost } from './destination-endpoint.js';
import { putStream, storeClient, storeError } from './destination-store.js';
import { Destination } from './destination.entity.js';
import { afterFailedAttempt } from './destination-writer.js';
import { DestinationRelay } from './destination-relay.js';
import { VideoDelivery } from './video-delivery.entity.js';
import { presentDelivery } from './video-deliveries.js';

/**
 * Copies succeeded videos' files to their customers' buckets (the claim-and-retry loop is
 * DestinationRelay's); each file is streamed from our store to theirs, never whole in memory. A
 * copy that fails is retried with backoff until DESTINATION_MAX_ATTEMPTS, then `failed` (the
 * customer may redeliver). A file copied twice is the same object written twice under the same key.
 */
@Injectable()
export class DeliveryRelay extends DestinationRelay<VideoDelivery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly outbox: EventOutbox,
  ) {
    super('delivery relay');
  }

  protected async claim(limit: number, leaseMs: number): Promise<string[]> {
    const [claimed] = (await this.db.query(
      `update video_deliveries set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
        where video_id in (select video_id from video_deliveries where status = 'pending' and next_attempt_at <= now()
                           order by next_attempt_at limit $1 for update skip locked)
        returning video_id`,
      [limit, leaseMs],
    )) as [{ video_id: string }[], number];
    return claimed.map((r) => r.video_id);
  }

  protected load(videoId: string): Promise<VideoDelivery> {
    return this.db.getRepository(VideoDelivery).findOneByOrFail({ videoId });
  }

  protected describe(d: VideoDelivery): string {
    return `delivery of ${d.videoId} to ${d.destinationId}, attempt ${d.attempts}`;
  }

  protected async attempt(d: VideoDelivery): Promise<void> {
    const destination = await this.db.getRepository(Destination).findOneBy({ id: d.destinationId, tenantId: d.tenantId });
    if (!destination || destination.deleted) throw new DomainError('destination_unreachable', `Destination '${d.destinationId}' was deleted.`);
    if (destination.endpoint) await assertEndpointHost(new URL(destination.endpoint));
    const client = storeClient(destination);
    try {
      for (const file of d.files) {
        const bytes = await this.storage.size(file.source_key);
        if (bytes === null) throw new Error(`our copy of ${file.key} is gone (retention removed it)`);
        const body = await this.storage.stream(file.source_key);
        try {
          await putStream(client, destination.bucket, file.key, body, bytes, file.content_type);
        } catch (e) {
          body.destroy();
          throw storeError(e, destination.bucket);
        }
      }
    } finally {
      client.destroy();
    }
  }

  /** The attempt's outcome and its event, in one transaction; a row no longer at this attempt (redelivered meanwhile) is left alone. */
  protected async settle(d: VideoDelivery, failure: string | null): Promise<void> {
    const next = failure === null ? null : afterFailedAttempt(d.attempts);
    await this.db.transaction(async (tx) => {
      const patch =
        failure === null
          ? { status: 'delivered' as const, lastError: null, deliveredAt: new Date() }
          : next?.last
            ? { status: 'failed' as const, lastError: failure }
            : { lastError: failure, nextAttemptAt: new Date(Date.now() + (next as { delayMs: number }).delayMs) };
      const res = await tx.update(VideoDelivery, { videoId: d.videoId, attempts: d.attempts, status: 'pending' }, patch);
      if (!res.affected || (failure !== null && !next?.last)) return;
      const view = presentDelivery({ ...d, ...patch } as VideoDelivery);
      await this.outbox.record(tx, {
        type: failure === null ? 'video.delivered' : 'video.delivery_failed',
        tenantId: d.tenantId,
        subjectId: d.videoId,
        livemode: d.livemode,
        data: { id: d.videoId, object: 'video', status: 'succeeded', url: resourceUrl(`/v1/videos/${d.videoId}`), delivery: view },
      });
    });
  }
}
