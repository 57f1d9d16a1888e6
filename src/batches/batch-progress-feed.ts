import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { Batch } from './batch.entity.js';
import { videosEnv } from '../videos/index.js';

export interface ProgressSubscriber {
  tenantId: string;
  batchId: string;
  deliver(batch: Batch): void;
}

/**
 * The batch streams' one change feed per process, like the videos' EventFeed: every
 * EVENTS_STREAM_POLL_MS one query reads every streamed batch's counts (kept in its row by the
 * trigger), and each stream gets its batch; the stream writes only when something changed.
 */
@Injectable()
export class BatchProgressFeed implements OnModuleDestroy {
  private readonly logger = new Logger(BatchProgressFeed.name);
  private readonly subscribers = new Set<ProgressSubscriber>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(@InjectRepository(Batch) private readonly batches: Repository<Batch>) {}

  subscribe(sub: ProgressSubscriber): () => void {
    this.subscribers.add(sub);
    this.timer ??= setInterval(() => void this.poll(), videosEnv.get().EVENTS_STREAM_POLL_MS);
    return () => {
      this.subscribers.delete(sub);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  onModuleDestroy(): void {
    this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.subscribers.size === 0) return;
    this.polling = true;
    try {
      const subs = [...this.subscribers];
      const rows = await this.batches.findBy({ id: In([...new Set(subs.map((s) => s.batchId))]) });
      const byId = new Map(rows.map((b) => [b.id, b]));
      for (const sub of subs) {
        const batch = byId.get(sub.batchId);
        if (batch && batch.tenantId === sub.tenantId && this.subscribers.has(sub)) sub.deliver(batch);
      }
    } catch (e) {
      this.logger.warn(`batch progress poll failed: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }
}
