import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeightSource } from '../weights/index.js';

// The seam's types live with the fetcher that implements them (GPU-CONTRACT.md, point 7).
export type { FetchProgress, WeightSource } from '../weights/index.js';

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
