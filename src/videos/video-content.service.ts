import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Video } from './video.entity.js';
import { VideoTransitions } from './video-transitions.service.js';
import { VideosQueue } from './videos-queue.js';
import { videoEvent } from './video-events.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { EventOutbox } from '../platform/outbox/event-outbox.js';
import { notFound } from '../platform/http/domain-error.js';
import { AuditService, type Actor } from '../audit/index.js';
import { redactStoredResponses, tenantKeyOwner } from '../idempotency/index.js';

export interface DeletedObject {
  id: string;
  object: string;
  deleted: true;
}

/**
 * A video's stored objects (input, MP4, poster, thumbnail) and their end: deletion on request,
 * erasure of a tenant, and expiry by the plan's retention. The row always stays — usage,
 * invoices and the audit log refer to it — only its content goes. Objects are deleted before
 * the row is marked, so a crash in between leaves a row that the next run deletes again (S3
 * deletes are idempotent): every operation here is safe to repeat.
 */
@Injectable()
export class VideoContent {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly transitions: VideoTransitions,
    private readonly queue: VideosQueue,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditService,
  ) {}

  /** DELETE /v1/videos/{id}: another tenant's (or an already deleted) id is a 404. */
  /** The caller's mode only: the other mode's video is a 404, like another tenant's. */
  async delete(actor: Actor, tenantId: string, id: string, livemode: boolean): Promise<DeletedObject> {
    const video = await this.db.getRepository(Video).findOneBy({ id, tenantId, livemode, deletedAt: IsNull() });
    if (!video) throw notFound('video', id);
    await this.remove(actor, video, true);
    return { id, object: 'video', deleted: true };
  }

  /** Deletes up to `limit` of the tenant's videos; `remaining` says whether to call again. */
  async eraseTenant(actor: Actor, tenantId: string, limit: number): Promise<{ deleted: number; remaining: boolean }> {
    const repo = this.db.getRepository(Video);
    let deleted = 0;
    while (deleted < limit) {
      const batch = await repo.find({ where: { tenantId, deletedAt: IsNull() }, order: { id: 'ASC' }, take: Math.min(100, limit - deleted) });
      if (!batch.length) return { deleted, remaining: false };
      // One audit entry for the whole erasure (the caller writes it), not one per video.
      for (const video of batch) if (await this.remove(actor, video, false)) deleted++;
    }
    return { deleted, remaining: (await repo.countBy({ tenantId, deletedAt: IsNull() })) > 0 };
  }

  /**
   * Retention: finished videos created more than the tenant's `retention_days` (contract override,
   * else plan) before `now` lose their objects and get `expired_at`. Returns how many expired;
   * fewer than `limit` means there are no more due.
   */
  async expireDue(now: Date, limit: number): Promise<number> {
    const due = (await this.db.query(
      `select v.id from videos v join tenants t on t.id = v.tenant_id join plans p on p.code = t.plan
        where v.expired_at is null and v.deleted_at is null and v.status in ('succeeded', 'failed', 'canceled', 'expired')
          and v.created_at < $1::timestamptz - make_interval(days => coalesce((t.limit_overrides->>'retention_days')::int, p.retention_days))
        order by v.id limit $2`,
      [now.toISOString(), limit],
    )) as { id: string }[];
    let expired = 0;
    for (const { id } of due) {
      const video = await this.db.getRepository(Video).findOneByOrFail({ id });
      await this.deleteObjects(video);
      const res = await this.db.getRepository(Video).update({ id, expiredAt: IsNull() }, { expiredAt: now, output: null });
      await this.deleteSharedInput(video);
      if (res.affected) expired++;
    }
    return expired;
  }

  /** Stops the video if it is still queued or running, deletes its objects and hides the row. False when someone else already did. */
  private async remove(actor: Actor, video: Video, audited: boolean): Promise<boolean> {
    // Canceled first: a worker that finishes afterwards finds the row canceled and deletes its own output.
    if (await this.transitions.canceled(video.tenantId, video.id)) await this.queue.remove(video.id);
    const current = await this.db.getRepository(Video).findOneByOrFail({ id: video.id });
    await this.deleteObjects(current);
    const removed = await this.db.transaction(async (tx) => {
      // The prompt, metadata and source URL are the tenant's content too; what stays is what billing needs.
      const res = await tx.update(
        Video,
        { id: video.id, deletedAt: IsNull() },
        {
          deletedAt: new Date(),
          output: null,
          prompt: '',
          negativePrompt: null,
          metadata: {},
          webhookUrl: null,
          input: { ...current.input, url: undefined },
        },
      );
      if (!res.affected) return false;
      const { storage_key: _key, sha256: _sha, url: _url, ...input } = current.input;
      await redactStoredResponses(tx, tenantKeyOwner(video.tenantId, video.livemode), video.id, {
        prompt: '',
        negative_prompt: null,
        metadata: {},
        webhook_url: null,
        output: null,
        input,
      });
      const event = videoEvent(current, 'video.deleted');
      await this.outbox.record(tx, { ...event, data: { ...event.data, deleted: true } });
      if (audited) {
        await this.audit.record(tx, actor, {
          tenantId: video.tenantId,
          action: 'video.deleted',
          targetType: 'video',
          targetId: video.id,
          before: { status: current.status, output_bytes: current.output?.bytes ?? null },
        });
      }
      return true;
    });
    await this.deleteSharedInput(current);
    return removed;
  }

  /**
   * An input uploaded as a `file_` belongs to that file (it has its own lifetime), so it is left
   * alone; an input the video shares with other items of its batch (one object per distinct data
   * URI, and a retried item keeps its attempt's), or with the other variants of its request, goes
   * only with the last of them still kept.
   */
  private async deleteObjects(video: Video): Promise<void> {
    const shared = await this.inputShared(video);
    const input = video.input.source === 'file' || shared ? null : video.input.storage_key;
    // A sound track fetched from a URL is our copy, shared by the variants and by a batch's rows naming that URL; an uploaded one belongs to its file.
    const track = (await this.trackShared(video)) ? null : urlTrackOf(video);
    const segments = [...(video.segments ?? []).map((s) => s.storage_key), ...(video.output?.outputs ?? []).map((o) => o.storage_key)];
    for (const key of [input, track, video.output?.storage_key, video.output?.raw_key, video.output?.poster_key, video.output?.thumbnail_key, ...segments])
      if (key) await this.storage.delete(key);
  }

  /**
   * After the row is marked: the last two sharers deleted at once each saw the other still kept
   * before marking, so each looks again. Deleting twice is harmless (S3 deletes are idempotent).
   */
  private async deleteSharedInput(video: Video): Promise<void> {
    if (video.batchId === null && video.groupId === null) return;
    if (video.input.storage_key && video.input.source !== 'file' && !(await this.inputShared(video))) await this.storage.delete(video.input.storage_key);
    const track = urlTrackOf(video);
    if (track && !(await this.trackShared(video))) await this.storage.delete(track);
  }

  /** Whether another kept video of the batch (or group) uses the same copy of a sound track from a URL (a batch keeps one per distinct URL, whatever the rows' images). */
  private async trackShared(video: Video): Promise<boolean> {
    const track = urlTrackOf(video);
    if ((video.batchId === null && video.groupId === null) || !track) return false;
    const [row] = (await this.db.query(
      `select 1 from videos where tenant_id = $4 and (batch_id = $1 or group_id = $5) and id <> $2 and post_production->'audio_input'->>'storage_key' = $3 and deleted_at is null and expired_at is null limit 1`,
      [video.batchId, video.id, track, video.tenantId, video.groupId],
    )) as unknown[];
    return row !== undefined;
  }

  /** Whether another video of the batch (or of the variants' group) that is neither deleted nor expired starts from the same stored image. */
  private async inputShared(video: Video): Promise<boolean> {
    if ((video.batchId === null && video.groupId === null) || !video.input.storage_key) return false;
    const [row] = (await this.db.query(
      `select 1 from videos where tenant_id = $4 and (batch_id = $1 or group_id = $5) and id <> $2 and input->>'storage_key' = $3 and deleted_at is null and expired_at is null limit 1`,
      [video.batchId, video.id, video.input.storage_key, video.tenantId, video.groupId],
    )) as unknown[];
    return row !== undefined;
  }
}

/** The object of a sound track we copied from a URL (ours to delete); an uploaded one belongs to its file. */
function urlTrackOf(video: Video): string | null {
  const track = video.postProduction?.audio_input;
  return track?.source === 'url' ? track.storage_key : null;
}
