import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type commander from 'commander';
import cliProgress from 'cli-progress';
import { ApiError, type ApiClient } from './api-client.js';
import { fields, print, type Io } from './output.js';

type Batch = Record<string, any>;

const settled = (b: Batch) => b.status === 'completed' || b.status === 'failed' || (b.status === 'canceled' && b.request_counts.running === 0);
const doneCount = (b: Batch) => b.request_counts.succeeded + b.request_counts.failed + b.request_counts.canceled;

/**
 * `leoma batches …` with a tenant key (scope batches:write) in LEOMA_API_KEY: submit a JSONL or
 * CSV catalogue, follow it with a progress bar, and write the results manifest when it is done.
 */
export function addBatchCommands(program: commander.Command, client: () => ApiClient, io: Io): void {
  const batches = program.command('batches').description('submit a catalogue (JSONL or CSV) as a batch and fetch its results (a tenant key)');
  batches
    .command('submit <file>')
    .description('upload a JSONL or CSV file as a batch; with --wait, show progress and write the manifest when done')
    .option('--wait', 'follow the batch until it finishes, then write its results manifest')
    .option('--out <path>', 'where the manifest goes (default: <file>.results.csv)')
    .option('--format <format>', 'manifest format: csv or jsonl', 'csv')
    .option('--skip-invalid', 'run the valid rows and report the invalid ones (on_invalid "skip")')
    .option('--poll-ms <ms>', 'how often to read the counts while waiting', '1000')
    .option('--json', 'print JSON')
    .action(async (file: string, o: Record<string, any>) => {
      const api = client();
      const form = new FormData();
      form.set('file', new Blob([await readFile(file)]), basename(file));
      if (o.skipInvalid) form.set('on_invalid', 'skip');
      let batch = await api.form('POST', '/v1/batches', form);
      if (!o.wait)
        return print(io, o.json, batch, () =>
          fields({ id: batch.id, status: batch.status, items: batch.request_counts.total, rejected: batch.rejected_count }),
        );
      batch = await follow(api, batch, Number(o.pollMs), io);
      const out = o.out ?? `${file.replace(/\.(csv|jsonl|ndjson)$/i, '')}.results.${o.format}`;
      await writeManifest(api, batch.id, o.format, out);
      print(io, o.json, batch, () => fields({ id: batch.id, status: batch.status, ...batch.request_counts, manifest: out }));
      if (batch.status !== 'completed') throw new Error(`batch ${batch.id} ended ${batch.status}`);
    });
  batches
    .command('show <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o: Record<string, any>) => {
      const b = await client().call('GET', `/v1/batches/${encodeURIComponent(id)}`);
      print(io, o.json, b, () =>
        fields({ id: b.id, status: b.status, ...b.request_counts, rejected: b.rejected_count, created_at: b.created_at, completed_at: b.completed_at }),
      );
    });
  batches
    .command('results <id>')
    .description('write the results manifest')
    .requiredOption('--out <path>', 'file to write')
    .option('--format <format>', 'csv or jsonl', 'csv')
    .action(async (id: string, o: Record<string, any>) => writeManifest(client(), id, o.format, o.out));
  batches
    .command('cancel <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o: Record<string, any>) => {
      const b = await client().call('POST', `/v1/batches/${encodeURIComponent(id)}/cancel`);
      print(io, o.json, b, () => fields({ id: b.id, status: b.status, ...b.request_counts }));
    });
}

/** Polls the counts into a progress bar (done/total, rate, ETA) on stderr until the batch has settled. */
async function follow(api: ApiClient, first: Batch, pollMs: number, io: Io): Promise<Batch> {
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {value}/{total} done | {rate} items/s | ETA {eta_formatted} | {failed} failed',
      stream: process.stderr,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5_000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  const startDone = doneCount(first);
  bar.start(first.request_counts.total, startDone, { rate: '0.0', failed: first.request_counts.failed });
  let batch = first;
  try {
    while (!settled(batch)) {
      await new Promise((r) => setTimeout(r, pollMs));
      batch = await api.call('GET', `/v1/batches/${batch.id}`);
      const rate = (doneCount(batch) - startDone) / Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(doneCount(batch), { rate: rate.toFixed(1), failed: batch.request_counts.failed });
    }
  } finally {
    bar.stop();
  }
  io.err(
    `batch ${batch.id} ${batch.status}: ${batch.request_counts.succeeded} succeeded, ${batch.request_counts.failed} failed, ${batch.request_counts.canceled} canceled`,
  );
  return batch;
}

/** Streams the manifest to a file: 50,000 rows never sit in memory. */
async function writeManifest(api: ApiClient, id: string, format: string, out: string): Promise<void> {
  if (format !== 'csv' && format !== 'jsonl') throw new ApiError(0, 'usage', '--format is csv or jsonl');
  const res = await api.raw(`/v1/batches/${encodeURIComponent(id)}/results?format=${format}`);
  await pipeline(Readable.fromWeb(res.body as ReadableStream), createWriteStream(out));
}
