import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { ChangeFeed } from '../platform/database/change-feed.js';
import { Batch } from './batch.entity.js';
import { videosEnv } from '../videos/index.js';

export interface ProgressSubscriber {
  tenantId: string;
  batchId: string;
  deliver(batch: Batch): void;
}

/**
 * The batch streams' change feed, polled like the videos' EventFeed: every EVENTS_STREAM_POLL_MS
 * one query reads every streamed batch's counts (kept in its row by the trigger), and each stream
 * gets its batch; the stream writes only when something changed.
 */
@Injectable()
export class BatchProgressFeed extends ChangeFeed<ProgressSubscriber, Batch> {
  constructor(@InjectRepository(Batch) batches: Repository<Batch>) {
    super({
      name: 'batch progress',
      pollMs: () => videosEnv.get().EVENTS_STREAM_POLL_MS,
      subscriberKey: (sub) => sub.batchId,
      rowKey: (batch) => batch.id,
      read: (ids) => batches.findBy({ id: In(ids) }),
      deliver: (sub, [batch]) => sub.deliver(batch!),
    });
  }
}
