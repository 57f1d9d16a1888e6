import { isEventStream, readEventStream, sleep } from './event-stream.js';
import type { components } from './schema.js';
import { deadlineSignal } from './wait-for-video.js';

export type Batch = components['schemas']['BatchObject'];

/** A batch's input: CSV or JSONL text, a Blob/File of either, or the items themselves. */
export type BatchInput =
  | { csv: string | Blob; filename?: string }
  | { jsonl: string | Blob; filename?: string }
  | { items: components['schemas']['CreateBatchDto']['items'] };

export interface BatchWaitOptions {
  /** Give up (throw) after this long. Default 24 hours: a big catalogue takes a while. */
  timeoutMs?: number;
  /** Between GETs when polling. Default 2 s. */
  pollIntervalMs?: number;
  transport?: 'auto' | 'poll';
  /** Called with the batch whenever its counts change. */
  onProgress?: (batch: Batch) => void;
  signal?: AbortSignal;
}

/** Settled: nothing will change any more (a canceled batch's running items still finish first). */
export const batchSettled = (batch: Batch): boolean =>
  batch.status === 'completed' ||
  batch.status === 'failed' ||
  batch.status === 'expired' ||
  (batch.status === 'canceled' && batch.request_counts.running === 0);

export interface BatchDeps {
  get(id: string): Promise<Batch>;
  openStream(id: string, signal: AbortSignal): Promise<Response>;
}

/**
 * Resolves once the batch is settled, reporting progress on the way: follows its event stream
 * (each message carries the batch's counts) and polls when the stream is refused, ends early or
 * breaks — the GET after it decides, so a dropped stream never loses the ending.
 */
export async function waitForBatch(deps: BatchDeps, id: string, options: BatchWaitOptions = {}): Promise<Batch> {
  const signal = deadlineSignal(options.timeoutMs ?? 86_400_000, options.signal);
  let seen = '';
  const report = (batch: Batch) => {
    const line = `${batch.status} ${JSON.stringify(batch.request_counts)}`;
    if (line !== seen) options.onProgress?.(batch);
    seen = line;
    return batch;
  };
  let batch = report(await deps.get(id));
  if ((options.transport ?? 'auto') === 'auto' && !batchSettled(batch)) {
    try {
      const response = await deps.openStream(id, signal);
      if (isEventStream(response)) {
        await readEventStream(response, (message) => {
          const update = JSON.parse(message.data) as Partial<Batch>;
          if (!update.request_counts || !update.status) return false;
          return batchSettled(report({ ...batch, ...update } as Batch));
        });
      } else await response.body?.cancel();
    } catch (error) {
      if (signal.aborted) throw error;
    }
    batch = report(await deps.get(id));
  }
  while (!batchSettled(batch)) {
    await sleep(options.pollIntervalMs ?? 2_000, signal);
    batch = report(await deps.get(id));
  }
  return batch;
}

/** The multipart form (a file part) or JSON body that POST /v1/batches takes for an input. */
export function batchBody(input: BatchInput): FormData | { items: components['schemas']['CreateBatchDto']['items'] } {
  if ('items' in input) return { items: input.items };
  const [text, type, name] = 'csv' in input ? [input.csv, 'text/csv', 'batch.csv'] : [input.jsonl, 'application/x-ndjson', 'batch.jsonl'];
  const form = new FormData();
  form.set('file', typeof text === 'string' ? new Blob([text], { type }) : text, input.filename ?? name);
  return form;
}
