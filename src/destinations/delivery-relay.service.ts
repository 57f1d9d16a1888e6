import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../platform/http/domain-error.js';
import { EventOutbox, resourceUrl } from '../platform/outbox/event-outbox.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { retryDelayMs } from '../webhooks/index.js';
import { assertEndpointHost } from './destination-endpoint.js';
import { putStream, storeClient, storeError } from './destination-store.js';
import { Destination } from './destination.entity.js';
import { destinationsEnv } from './destinations.env.js';
import { VideoDelivery } from './video-delivery.entity.js';
import { presentDelivery } from './video-deliveries.js';

/**
 * Copies succeeded videos' files to their customers' buckets. Due rows are claimed in one
 * statement (attempts + 1, next try pushed out by the lease), so several workers share the work
 * and a worker that dies mid-copy only delays its rows; each file is streamed from our store to
 * theirs, never whole in memory. A copy that fails is retried with backoff until
 * DESTINATION_MAX_ATTEMPTS, then `failed` (the customer may redeliver). A file copied twice is the
 * same object written twice under the same key.
 */
@Injectable()
export class DeliveryRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryRelay.name);
  private readonly loop = new PollLoop({
    name: 'delivery relay',
    run: () => this.tick(),
    next: (claimed) => (claimed > 0 ? 0 : destinationsEnv.get().DESTINATION_RELAY_INTERVAL_MS),
    afterError: () => destinationsEnv.get().DESTINATION_RELAY_INTERVAL_MS,
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly outbox: EventOutbox,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: claims up to DESTINATION_CONCURRENCY due deliveries and copies them side by side. */
  async tick(): Promise<number> {
    const env = destinationsEnv.get();
    const [claimed] = (await this.db.query(
      `update video_deliveries set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
        where video_id in (select video_id from video_deliveries where status = 'pending' and next_attempt_at <= now()
                           order by next_attempt_at limit $1 for update skip locked)
        returning video_id`,
      [env.DESTINATION_CONCURRENCY, env.DESTINATION_LEASE_MS],
    )) as [{ video_id: string }[], number];
    await Promise.all(claimed.map((r) => this.deliver(r.video_id)));
    return claimed.length;
  }

  private async deliver(videoId: string): Promise<void> {
    const delivery = await this.db.getRepository(VideoDelivery).findOneByOrFail({ videoId });
    let failure: string | null = null;
    try {
      await this.copy(delivery);
    } catch (e) {
      failure = e instanceof DomainError ? e.message : `${(e as Error).name}: ${(e as Error).message}`.slice(0, 500);
      this.logger.warn(`delivery of ${videoId} to ${delivery.destinationId}, attempt ${delivery.attempts}: ${failure}`);
    }
    await this.settle(delivery, failure);
  }

  private async copy(d: VideoDelivery): Promise<void> {
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
  private async settle(d: VideoDelivery, failure: string | null): Promise<void> {
    const env = destinationsEnv.get();
    const last = failure !== null && d.attempts >= env.DESTINATION_MAX_ATTEMPTS;
    await this.db.transaction(async (tx) => {
      const patch =
        failure === null
          ? { status: 'delivered' as const, lastError: null, deliveredAt: new Date() }
          : last
            ? { status: 'failed' as const, lastError: failure }
            : {
                lastError: failure,
                nextAttemptAt: new Date(Date.now() + retryDelayMs(d.attempts, env.DESTINATION_RETRY_BASE_MS, env.DESTINATION_RETRY_MAX_DELAY_MS)),
              };
      const res = await tx.update(VideoDelivery, { videoId: d.videoId, attempts: d.attempts, status: 'pending' }, patch);
      if (!res.affected || (failure !== null && !last)) return;
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
