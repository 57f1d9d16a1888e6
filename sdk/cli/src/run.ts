import { writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import type * as Sdk from '@leoma/sdk';
import { type BatchLike, describeBatch, describeVideo, type VideoLike } from './progress.js';

/** Where output goes: `out` for results (JSON with --json), `err` for progress and problems. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** What the CLI uses of @leoma/sdk; the bin passes the package, tests the same code from source. */
export type SdkModule = Pick<typeof Sdk, 'createLeomaClient' | 'LeomaProblemError'>;

const USAGE = `leoma: the Leoma API from a terminal (LEOMA_API_KEY, LEOMA_API_URL)

  leoma videos create --image <file|url> --prompt <text> [--duration <s>] [--resolution 480p|720p]
                      [--aspect-ratio <r>] [--wait] [--out <file.mp4>]
  leoma videos wait <id> [--out <file.mp4>]
  leoma videos get <id>
  leoma videos list [--limit <n>] [--status <status>]
  leoma batches submit <file.csv|file.jsonl> [--skip-invalid] [--wait] [--out <manifest>] [--format csv|jsonl]
  leoma batches wait <id> [--out <manifest>] [--format csv|jsonl]
  leoma batches get <id>
  leoma batches results <id> --out <manifest> [--format csv|jsonl]
  leoma batches list [--limit <n>]

  --json            print the object as JSON on stdout (progress stays on stderr)
  --max-retries <n> retries of 429/5xx/network errors, same Idempotency-Key each time (default 3)
  --timeout <s>     how long --wait waits (default: 10 min for a video, 24 h for a batch)
`;

const OPTIONS = {
  image: { type: 'string' },
  prompt: { type: 'string' },
  duration: { type: 'string' },
  resolution: { type: 'string' },
  'aspect-ratio': { type: 'string' },
  wait: { type: 'boolean' },
  out: { type: 'string' },
  limit: { type: 'string' },
  status: { type: 'string' },
  format: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  json: { type: 'boolean' },
  'max-retries': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

/** Runs one command line and returns its exit status: 0 done, 1 the API refused or the work failed, 2 a usage mistake. */
export async function runCli(args: string[], env: Record<string, string | undefined>, io: Io, sdk: SdkModule): Promise<number> {
  try {
    const { values: o, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    const [group, command, ...rest] = positionals;
    if (o.help || !group) {
      io.out(USAGE);
      return o.help ? 0 : 2;
    }
    if (!env.LEOMA_API_KEY) throw new UsageError('set LEOMA_API_KEY to your API key (lk_test_… or lk_live_…)');
    const leoma = sdk.createLeomaClient({
      baseUrl: env.LEOMA_API_URL ?? 'https://api.leoma.ai',
      apiKey: env.LEOMA_API_KEY,
      retry: {
        maxRetries: o['max-retries'] === undefined ? 3 : number(o['max-retries'], 'max-retries'),
        onRetry: ({ attempt, delayMs, status }) => io.err(`retrying (${status ?? 'network error'}), attempt ${attempt} in ${Math.round(delayMs / 100) / 10} s`),
      },
    });
    const timeoutMs = o.timeout === undefined ? undefined : number(o.timeout, 'timeout') * 1000;
    const show = (value: unknown, line: string) => io.out(o.json ? JSON.stringify(value, null, 2) : line);
    const progress = () => {
      let last = '';
      return (line: string) => {
        if (line !== last) io.err(line);
        last = line;
      };
    };
    const finishVideo = async (video: VideoLike) => {
      if (o.out && video.status === 'succeeded') {
        const res = await fetch(video.output!.url!);
        if (!res.ok) throw new Error(`download failed: HTTP ${res.status}`);
        await writeFile(o.out, new Uint8Array(await res.arrayBuffer()));
      }
      show(video, `${describeVideo(video)}${video.output?.url ? `\n${o.out ? `saved to ${o.out}` : video.output.url}` : ''}`);
      return video.status === 'succeeded' ? 0 : 1;
    };
    const waitVideo = async (id: string) => {
      const line = progress();
      return (await leoma.waitForVideo(id, { timeoutMs, onUpdate: (v) => line(describeVideo(v as VideoLike)) })) as VideoLike;
    };
    const finishBatch = async (batch: BatchLike, fallbackOut: string | undefined) => {
      const format = (o.format ?? 'csv') as 'csv' | 'jsonl';
      if (format !== 'csv' && format !== 'jsonl') throw new UsageError('--format is csv or jsonl');
      const out = o.out ?? fallbackOut;
      if (out) await writeFile(out, await leoma.batches.results(batch.id, format));
      show(batch, `${describeBatch(batch)}${out ? `\nmanifest: ${out}` : ''}`);
      return batch.status === 'completed' ? 0 : 1;
    };

    const key = `${group} ${command ?? ''}`;
    switch (key) {
      case 'videos create': {
        if (!o.image || !o.prompt) throw new UsageError('videos create needs --image and --prompt');
        const image = /^(https?:|data:)|^file_/.test(o.image) ? o.image : new Uint8Array(await readFile(o.image));
        const video = (await leoma.videos.create({
          prompt: o.prompt,
          image,
          ...(o.duration ? { duration_seconds: number(o.duration, 'duration') } : {}),
          ...(o.resolution ? { resolution: o.resolution as '480p' } : {}),
          ...(o['aspect-ratio'] ? { aspect_ratio: o['aspect-ratio'] as '16:9' } : {}),
        })) as VideoLike;
        if (!o.wait) {
          show(video, describeVideo(video));
          return 0;
        }
        io.err(describeVideo(video));
        return await finishVideo(await waitVideo(video.id));
      }
      case 'videos wait':
        return await finishVideo(await waitVideo(one(rest, 'videos wait <id>')));
      case 'videos get': {
        const video = (await leoma.videos.get(one(rest, 'videos get <id>'))) as VideoLike;
        show(video, describeVideo(video));
        return 0;
      }
      case 'videos list': {
        const limit = o.limit ? number(o.limit, 'limit') : 20;
        const videos: VideoLike[] = [];
        for await (const v of leoma.videos.list({ limit: Math.min(limit, 100), ...(o.status ? { status: o.status as 'queued' } : {}) })) {
          videos.push(v as VideoLike);
          if (videos.length >= limit) break;
        }
        show(videos, videos.map((v) => describeVideo(v)).join('\n') || 'no videos');
        return 0;
      }
      case 'batches submit': {
        const file = one(rest, 'batches submit <file.csv|file.jsonl>');
        const text = await readFile(file, 'utf8');
        const kind = extname(file).toLowerCase() === '.csv' ? 'csv' : 'jsonl';
        const input = kind === 'csv' ? { csv: text, filename: basename(file) } : { jsonl: text, filename: basename(file) };
        const batch = (await leoma.batches.create(input, o['skip-invalid'] ? { on_invalid: 'skip' } : {})) as unknown as BatchLike & {
          rejected_count?: number;
        };
        if (batch.rejected_count) io.err(`${batch.rejected_count} invalid rows skipped (listed in the manifest)`);
        if (!o.wait) {
          show(batch, describeBatch(batch));
          return 0;
        }
        const line = progress();
        const done = (await leoma.batches.wait(batch.id, {
          timeoutMs,
          onProgress: (b) => line(describeBatch(b as unknown as BatchLike)),
        })) as unknown as BatchLike;
        return await finishBatch(done, `${file.slice(0, file.length - extname(file).length)}.results.${o.format ?? 'csv'}`);
      }
      case 'batches wait': {
        const line = progress();
        const done = (await leoma.batches.wait(one(rest, 'batches wait <id>'), {
          timeoutMs,
          onProgress: (b) => line(describeBatch(b as unknown as BatchLike)),
        })) as unknown as BatchLike;
        return await finishBatch(done, undefined);
      }
      case 'batches get': {
        const batch = (await leoma.batches.get(one(rest, 'batches get <id>'))) as unknown as BatchLike;
        show(batch, describeBatch(batch));
        return 0;
      }
      case 'batches results': {
        const id = one(rest, 'batches results <id>');
        if (!o.out) throw new UsageError('batches results needs --out <file>');
        return await finishBatch((await leoma.batches.get(id)) as unknown as BatchLike, o.out);
      }
      case 'batches list': {
        const limit = o.limit ? number(o.limit, 'limit') : 20;
        const batches: BatchLike[] = [];
        for await (const b of leoma.batches.list({ limit: Math.min(limit, 100) })) {
          batches.push(b as unknown as BatchLike);
          if (batches.length >= limit) break;
        }
        show(batches, batches.map((b) => describeBatch(b)).join('\n') || 'no batches');
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${key.trim()}"; see leoma --help`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`leoma: ${(e as Error).message}`);
      return 2;
    }
    if (e instanceof sdk.LeomaProblemError) {
      io.err(`leoma: ${e.problem.detail} (${e.code}, HTTP ${e.status}${e.requestId ? `, request ${e.requestId}` : ''})`);
      return 1;
    }
    io.err(`leoma: ${(e as Error).message}`);
    return 1;
  }
}

function one(rest: string[], usage: string): string {
  if (rest.length !== 1) throw new UsageError(`usage: leoma ${usage}`);
  return rest[0]!;
}

function number(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number`);
  return n;
}
