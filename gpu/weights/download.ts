import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeightCache } from './cache.js';
import { WeightFetchError } from './errors.js';
import { describe, requestFailure } from './http.js';
import type { Remote } from './remote.js';
import type { RemoteFile } from './types.js';

export interface DownloadContext {
  cache: WeightCache;
  remote: Remote;
  signal: AbortSignal;
  /** Called with the number of new bytes each time some arrive (or are found already on disk). */
  onBytes: (n: number) => void;
  /** A response body silent for this long is dropped (and resumed). */
  stallMs: number;
}

const WRITE_BATCH = 1024 * 1024;

/** Git's object id for a blob: SHA-1 of `blob <size>\0` and the content. */
function gitBlobHash(size: number): Hash {
  return createHash('sha1').update(`blob ${size}\0`);
}

/** Feeds the first `length` bytes of a file into the hashes (a resumed download re-reads what it kept). */
async function rehash(path: string, length: number, hashes: Hash[]): Promise<void> {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) for (const h of hashes) h.update(chunk as Buffer);
}

/**
 * Downloads one file into `partial/`, resuming what an earlier attempt left there, verifying every
 * chunk and the whole file, and moves it into `blobs/` only once verified. Returns its SHA-256.
 * Bytes that fail verification are deleted, never kept for a resume.
 */
export async function downloadFile(file: RemoteFile, ctx: DownloadContext): Promise<string> {
  if (file.sha256 && (await ctx.cache.hasBlob(file.sha256, file.size))) {
    ctx.onBytes(file.size);
    return file.sha256;
  }
  const partial = join(ctx.cache.partials, file.sha256 ?? `git-${file.gitBlobSha1!}`);
  const starts: number[] = [];
  file.parts.reduce((offset, part) => (starts.push(offset), offset + part.size), 0);

  let kept = (await stat(partial).catch(() => null))?.size ?? 0;
  if (kept > file.size) kept = 0;
  // A chunk is verified whole, so a chunked file resumes from the start of the chunk it stopped in.
  let index =
    file.parts.length === 1
      ? 0
      : Math.max(
          0,
          starts.findLastIndex((s) => s <= kept),
        );
  if (file.parts.length > 1) kept = starts[index]!;
  await (kept > 0 ? truncate(partial, kept) : open(partial, 'w').then((h) => h.close()));

  const sha256 = createHash('sha256');
  const sha1 = file.gitBlobSha1 ? gitBlobHash(file.size) : null;
  const fileHashes = sha1 ? [sha256, sha1] : [sha256];
  await rehash(partial, kept, fileHashes);
  ctx.onBytes(kept);

  const refuse = async (message: string, code: 'digest_mismatch' | 'size_mismatch' = 'digest_mismatch'): Promise<never> => {
    await rm(partial, { force: true });
    throw new WeightFetchError(code, message);
  };

  const handle = await open(partial, 'a');
  let restart = false;
  try {
    for (; index < file.parts.length; index++) {
      const part = file.parts[index]!;
      const from = kept - starts[index]!;
      // A previous attempt got every byte but stopped before the rename.
      if (from === part.size && part.size > 0) continue;
      const response = await ctx.remote.open(part, from, ctx.signal).catch((error: unknown) => {
        throw error instanceof WeightFetchError ? error : requestFailure(error, part.url, ctx.signal);
      });
      let offset = from;
      const start = (part.offset ?? 0) + from;
      const ranged = start > 0 || part.offset !== undefined;
      if (ranged && response.status === 200) {
        await response.body?.cancel();
        // A chunk inside a pack cannot be read without its range.
        if (part.offset !== undefined) throw new WeightFetchError('remote_error', `${describe(part.url)} ignored the range of a chunk of ${file.path}`);
        // The server ignored the Range of a resume: start the file over rather than append a second copy.
        restart = true;
        break;
      }
      if (ranged && response.status === 206) {
        const range = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
        if (!range || Number(range[1]) !== start) {
          await response.body?.cancel();
          throw new WeightFetchError(
            'remote_error',
            `${describe(part.url)} answered a range from byte ${start} with ${response.headers.get('content-range') ?? 'no Content-Range'}`,
          );
        }
      } else if (response.status !== 200) {
        await response.body?.cancel();
        throw new WeightFetchError('remote_error', `fetching ${file.path}: HTTP ${response.status} from ${describe(part.url)}`);
      }
      const partHash = file.parts.length > 1 && part.sha256 ? createHash('sha256') : null;
      let batch: Buffer[] = [];
      let batched = 0;
      const flush = async (): Promise<void> => {
        if (batched === 0) return;
        const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batched);
        batch = [];
        batched = 0;
        await handle.write(data);
        kept += data.length;
      };
      const reader = response.body!.getReader();
      // One watchdog per response rather than a timer per chunk: a body silent for stallMs is dropped.
      let lastData = Date.now();
      let stalled = false;
      const watchdog = setInterval(
        () => {
          if (Date.now() - lastData < ctx.stallMs) return;
          stalled = true;
          void reader.cancel().catch(() => undefined);
        },
        Math.min(1000, ctx.stallMs),
      );
      try {
        for (;;) {
          const next = await reader.read();
          if (stalled) throw new WeightFetchError('timeout', `${describe(part.url)} sent nothing for ${ctx.stallMs} ms`);
          if (next.done) break;
          lastData = Date.now();
          const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
          offset += chunk.length;
          if (offset > part.size) {
            await reader.cancel();
            await refuse(`${file.path}: ${describe(part.url)} sent more than the ${part.size} bytes the listing declares`, 'size_mismatch');
          }
          for (const h of fileHashes) h.update(chunk);
          partHash?.update(chunk);
          batch.push(chunk);
          batched += chunk.length;
          ctx.onBytes(chunk.length);
          if (batched >= WRITE_BATCH) await flush();
        }
      } catch (error) {
        await flush();
        if (stalled) throw new WeightFetchError('timeout', `${describe(part.url)} sent nothing for ${ctx.stallMs} ms`);
        if (error instanceof WeightFetchError) throw error;
        throw requestFailure(error, part.url, ctx.signal);
      } finally {
        clearInterval(watchdog);
      }
      await flush();
      if (offset !== part.size)
        throw new WeightFetchError('remote_error', `${file.path}: the answer from ${describe(part.url)} ended after ${offset} of ${part.size} bytes`);
      if (partHash) {
        const actual = partHash.digest('hex');
        if (actual !== part.sha256) await refuse(`${file.path}: chunk ${index + 1} of ${file.parts.length} has SHA-256 ${actual}, not ${part.sha256}`);
      }
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (restart) {
    ctx.onBytes(-kept);
    await rm(partial, { force: true });
    return downloadFile(file, ctx);
  }

  const actual = sha256.digest('hex');
  if (file.sha256 && actual !== file.sha256) await refuse(`${file.path} has SHA-256 ${actual}, not the ${file.sha256} its listing states`);
  if (sha1) {
    const blob = sha1.digest('hex');
    if (blob !== file.gitBlobSha1) await refuse(`${file.path} has git blob id ${blob}, not the ${file.gitBlobSha1} its listing states`);
  }
  await ctx.cache.adopt(partial, actual);
  return actual;
}
