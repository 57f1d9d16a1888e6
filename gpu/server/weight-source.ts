import { statfs } from 'node:fs/promises';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelRef } from './model-ref.js';

export interface FetchProgress {
  bytesDone: number;
  bytesTotal: number | null;
}

/**
 * Where the server gets a model's snapshot directory (the contract's seam between the server and
 * the fetcher in gpu/weights/, which implements it by digest with a verified, shared cache).
 */
export interface WeightSource {
  fetch(model: ModelRef, onProgress: (p: FetchProgress) => void, signal: AbortSignal): Promise<string>;
  cacheUsage(): Promise<{ freeBytes: number; usedBytes: number }>;
}

/**
 * A snapshot directory already on this machine (`--weights-dir`), for development and for an
 * operator who copied the weights by hand. Nothing is downloaded or verified: whoever points the
 * server at the directory vouches that it is the `--model` digest.
 */
export function localWeightSource(dir: string): WeightSource {
  return {
    async fetch(model, onProgress, signal) {
      const files = await listFiles(dir).catch((err: NodeJS.ErrnoException) => {
        throw new Error(`--weights-dir ${dir} cannot be read (${err.code ?? err.message}) for ${model.repo}@${model.digest}`);
      });
      signal.throwIfAborted();
      const total = files.reduce((sum, f) => sum + f.size, 0);
      onProgress({ bytesDone: total, bytesTotal: total });
      return dir;
    },
    async cacheUsage() {
      const [fs, files] = await Promise.all([statfs(dir), listFiles(dir)]);
      return { freeBytes: fs.bavail * fs.bsize, usedBytes: files.reduce((sum, f) => sum + f.size, 0) };
    },
  };
}

async function listFiles(dir: string): Promise<{ path: string; size: number }[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Promise.all(files.map(async (path) => ({ path, size: (await stat(path)).size })));
}
