import type { EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import type { ReadyItem } from './batch-intake.service.js';

export interface ItemOwner {
  batchId: string;
  tenantId: string;
  apiKeyId: string;
  livemode: boolean;
  queuePriority: number;
  modelPin: { repo: string; digest: string } | null;
}

/** Per-item columns, each sent as one array parameter and unnested: a statement's size does not grow with its parameter count. */
const COLUMNS: [string, string, (i: ReadyItem) => unknown][] = [
  ['id', 'text', () => newId('video')],
  ['prompt', 'text', (i) => i.prompt],
  ['duration_seconds', 'int', (i) => i.durationSeconds],
  ['resolution', 'text', (i) => i.resolution],
  ['aspect_ratio', 'text', (i) => i.aspectRatio],
  ['width', 'int', (i) => i.target.width],
  ['height', 'int', (i) => i.target.height],
  ['fps', 'int', (i) => i.target.fps],
  ['frames', 'int', (i) => i.target.frames],
  ['negative_prompt', 'text', (i) => i.negativePrompt ?? null],
  ['seed', 'bigint', (i) => i.seed ?? null],
  ['camera', 'text', (i) => i.camera ?? null],
  ['metadata', 'jsonb', (i) => JSON.stringify(i.metadata)],
  ['input', 'jsonb', (i) => JSON.stringify(i.input)],
  ['batch_index', 'int', (i) => i.row],
  ['custom_id', 'text', (i) => i.customId],
];

/**
 * Writes a batch's items as `queued` video rows, BATCH_INSERT_CHUNK per INSERT … SELECT FROM
 * unnest(arrays): one round trip per chunk with a fixed number of parameters. They are not
 * enqueued here: the scheduler hands them to the queue as the tenant's concurrency allows. No
 * `video.queued` event per item either: the batch is what was queued.
 */
export async function insertItems(tx: EntityManager, owner: ItemOwner, items: ReadyItem[], chunk: number): Promise<void> {
  const names = COLUMNS.map(([name]) => name);
  const unnest = COLUMNS.map(([, type], k) => `$${k + 8}::${type}[]`).join(', ');
  const sql = `insert into videos (tenant_id, api_key_id, livemode, status, queue_priority, batch_id, model_pin, attempts, ${names.join(', ')})
    select $1, $2, $3, $4, $5, $6, $7::jsonb, 0, ${names.map((n) => `u.${n}`).join(', ')} from unnest(${unnest}) as u(${names.join(', ')})`;
  for (let start = 0; start < items.length; start += chunk) {
    const slice = items.slice(start, start + chunk);
    await tx.query(sql, [owner.tenantId, owner.apiKeyId, owner.livemode, 'queued', owner.queuePriority, owner.batchId, owner.modelPin && JSON.stringify(owner.modelPin), ...COLUMNS.map(([, , value]) => slice.map(value))]);
  }
}
