import type { EntityManager } from 'typeorm';
import { Video } from '../videos/index.js';
import { newId } from '../platform/http/ids.js';
import type { ReadyItem } from './batch-intake.service.js';

export interface ItemOwner {
  batchId: string;
  tenantId: string;
  apiKeyId: string;
  livemode: boolean;
  queuePriority: number;
}

/**
 * Writes a batch's items as `queued` video rows, a thousand (BATCH_INSERT_CHUNK) per INSERT.
 * They are not enqueued here: the scheduler hands them to the queue as the tenant's concurrency
 * allows. No `video.queued` event per item either: the batch is what was queued.
 */
export async function insertItems(tx: EntityManager, owner: ItemOwner, items: ReadyItem[], chunk: number): Promise<void> {
  for (let i = 0; i < items.length; i += chunk) {
    const rows = items.slice(i, i + chunk).map((item) => ({
      id: newId('video'),
      tenantId: owner.tenantId,
      apiKeyId: owner.apiKeyId,
      livemode: owner.livemode,
      status: 'queued' as const,
      prompt: item.prompt,
      durationSeconds: item.durationSeconds,
      resolution: item.resolution,
      aspectRatio: item.aspectRatio,
      ...item.target,
      negativePrompt: item.negativePrompt ?? null,
      seed: item.seed ?? null,
      queuePriority: owner.queuePriority,
      camera: item.camera ?? null,
      metadata: item.metadata,
      input: item.input,
      attempts: 0,
      batchId: owner.batchId,
      batchIndex: item.row,
      customId: item.customId,
    }));
    await tx.createQueryBuilder().insert().into(Video).values(rows).updateEntity(false).execute();
  }
}
