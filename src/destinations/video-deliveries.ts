import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_KEY_TEMPLATE, renderKey, siblingKey } from './delivery-key.js';
import { Destination } from './destination.entity.js';
import { VideoDelivery, type DeliveryFile } from './video-delivery.entity.js';

/** What a video or batch asked for: which destination, and the key template of its files. */
export interface DeliveryTarget {
  destination_id: string;
  key_template: string;
}

/** The files of a succeeded video, as the videos module stores them (a structural copy: no import back into videos/). */
export interface DeliverableOutput {
  storage_key: string;
  raw_key?: string | null;
  outputs?: { storage_key: string }[];
  poster_key?: string | null;
  thumbnail_key?: string | null;
}

export interface DeliverableVideo {
  id: string;
  tenantId: string;
  livemode: boolean;
  batchId: string | null;
  customId: string | null;
  target: DeliveryTarget;
  output: DeliverableOutput;
}

/**
 * The delivery's outbox row, written in the transaction that marks the video succeeded: every
 * file it has (the video, its raw render, its other ratios, poster, thumbnail), each with its
 * key in the customer's bucket. The worker's relay copies them. Safe to call twice.
 */
export async function planVideoDelivery(tx: EntityManager, v: DeliverableVideo): Promise<void> {
  const destination = await tx.findOneBy(Destination, { id: v.target.destination_id, tenantId: v.tenantId });
  const main = renderKey(destination?.prefix ?? '', v.target.key_template || DEFAULT_KEY_TEMPLATE, {
    video_id: v.id,
    custom_id: v.customId,
    batch_id: v.batchId,
  });
  const o = v.output;
  const files: DeliveryFile[] = [
    { source_key: o.storage_key, key: main, content_type: 'video/mp4' },
    ...(o.raw_key ? [{ source_key: o.raw_key, key: siblingKey(main, 'raw.mp4'), content_type: 'video/mp4' }] : []),
    ...(o.outputs ?? []).map((x, i) => ({ source_key: x.storage_key, key: siblingKey(main, `${i + 1}.mp4`), content_type: 'video/mp4' })),
    ...(o.poster_key ? [{ source_key: o.poster_key, key: siblingKey(main, 'jpg'), content_type: 'image/jpeg' }] : []),
    ...(o.thumbnail_key ? [{ source_key: o.thumbnail_key, key: siblingKey(main, 'webp'), content_type: 'image/webp' }] : []),
  ];
  await tx
    .createQueryBuilder()
    .insert()
    .into(VideoDelivery)
    .values({
      videoId: v.id,
      tenantId: v.tenantId,
      livemode: v.livemode,
      destinationId: v.target.destination_id,
      key: main,
      files,
      status: 'pending',
      attempts: 0,
      lastError: null,
      nextAttemptAt: () => 'now()',
      deliveredAt: null,
    })
    .orIgnore()
    .execute();
}

/** A delivery as the video object and its events show it. */
export interface DeliveryView {
  destination: string;
  status: VideoDelivery['status'];
  key: string | null;
  attempts: number;
  last_error: string | null;
  delivered_at: string | null;
}

export function presentDelivery(d: VideoDelivery): DeliveryView {
  return {
    destination: d.destinationId,
    status: d.status,
    key: d.key,
    attempts: d.attempts,
    last_error: d.lastError,
    delivered_at: d.deliveredAt?.toISOString() ?? null,
  };
}

/** A video that named a destination and has no delivery row yet (it has not succeeded). */
export function awaitingDelivery(target: DeliveryTarget): DeliveryView {
  return { destination: target.destination_id, status: 'pending', key: null, attempts: 0, last_error: null, delivered_at: null };
}

/** The deliveries of a page of one tenant's videos, in one query. */
export async function deliveriesOf(db: DataSource, tenantId: string, videoIds: string[]): Promise<Map<string, DeliveryView>> {
  if (!videoIds.length) return new Map();
  const rows = await db
    .getRepository(VideoDelivery)
    .createQueryBuilder('d')
    .where('d.tenant_id = :tenantId AND d.video_id = ANY(:videoIds)', { tenantId, videoIds })
    .getMany();
  return new Map(rows.map((d) => [d.videoId, presentDelivery(d)]));
}
