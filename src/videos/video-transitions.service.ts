import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Video, type VideoOutputRef, type VideoProvenance, type VideoStatus } from './video.entity.js';
import { UsageRecord } from './usage-record.entity.js';
import { recordVideoEvent } from '../webhooks/event-outbox.js';

/**
 * Every change of a video's status goes through here, each as one conditional UPDATE inside a
 * transaction: a transition applies only from the states it names, so running any of them twice
 * (BullMQ is at-least-once) or racing a cancel changes nothing. What must happen atomically with
 * a transition (usage, quota, events) belongs in the same transaction here.
 */
@Injectable()
export class VideoTransitions {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async created(video: Video): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(Video, video);
      await recordVideoEvent(tx, video, 'video.queued');
    });
  }

  /** queued|running → running; returns the row, or null when the video is already finished. */
  async started(videoId: string): Promise<Video | null> {
    return this.db.transaction(async (tx) => {
      const res = await tx
        .createQueryBuilder()
        .update(Video)
        .set({ status: 'running', startedAt: () => 'coalesce(started_at, now())', attempts: () => 'attempts + 1' })
        .where({ id: videoId, status: In(['queued', 'running']) })
        .execute();
      if (!res.affected) return null;
      const video = await tx.findOneByOrFail(Video, { id: videoId });
      // A retry moves running → running; only the first start is news.
      if (video.attempts === 1) await recordVideoEvent(tx, video, 'video.running');
      return video;
    });
  }

  /** running → succeeded, with its usage record; false when the video was canceled meanwhile. */
  async succeeded(video: Video, output: VideoOutputRef, provenance: VideoProvenance): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await this.move(tx, video.id, ['running'], { status: 'succeeded', output, provenance, completedAt: new Date(), errorCode: null, errorMessage: null }))) return false;
      await tx.createQueryBuilder().insert().into(UsageRecord).values({ videoId: video.id, tenantId: video.tenantId, videoSeconds: video.durationSeconds, livemode: video.livemode }).orIgnore().execute();
      await recordVideoEvent(tx, await tx.findOneByOrFail(Video, { id: video.id }), 'video.succeeded');
      return true;
    });
  }

  /** queued|running → failed: nothing is charged. */
  async failed(videoId: string, code: string, message: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await this.move(tx, videoId, ['queued', 'running'], { status: 'failed', errorCode: code, errorMessage: message.slice(0, 500), completedAt: new Date() }))) return false;
      await recordVideoEvent(tx, await tx.findOneByOrFail(Video, { id: videoId }), 'video.failed');
      return true;
    });
  }

  /** queued|running → canceled, scoped to the tenant; false when it was already finished or is not theirs. */
  async canceled(tenantId: string, videoId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const res = await tx.update(Video, { id: videoId, tenantId, status: In(['queued', 'running']) }, { status: 'canceled', completedAt: new Date() });
      if (!res.affected) return false;
      await recordVideoEvent(tx, await tx.findOneByOrFail(Video, { id: videoId }), 'video.canceled');
      return true;
    });
  }

  /** A read, for a worker to notice a cancel while it waits on a backend. */
  async statusOf(videoId: string): Promise<VideoStatus | null> {
    const row = await this.db.getRepository(Video).findOne({ where: { id: videoId }, select: { id: true, status: true } });
    return row?.status ?? null;
  }

  private async move(tx: EntityManager, id: string, from: Video['status'][], set: Partial<Video>): Promise<boolean> {
    const res = await tx.update(Video, { id, status: In(from) }, set);
    return Boolean(res.affected);
  }
}
