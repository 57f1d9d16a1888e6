import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readdir, readFile, rename, rm, rmdir, stat, statfs, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelRef } from './types.js';

/** Written into a snapshot directory once every file is in place (the validators' name for it). */
export const COMPLETION_MARKER = '.leoma_complete.json';

export interface MarkerFile {
  path: string;
  sha256: string;
  size: number;
}

export interface Marker {
  ref: string;
  files: MarkerFile[];
  bytes: number;
  completedAt: string;
}

/** How much space the cache's file system has left; injectable so tests can stage a full disk. */
export type FreeSpaceProbe = (dir: string) => Promise<number>;

export const statfsFreeSpace: FreeSpaceProbe = async (dir) => {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
};

/**
 * The cache on disk:
 *   blobs/<sha256>                        each verified file once, read-only
 *   partial/<name>                        downloads in progress (resumed, never trusted until verified)
 *   snapshots/<owner--name>/<alg-hex>/    one per repo@digest: hard links to blobs, marker last
 * A file shared by two snapshots (text encoder, VAE, an unchanged shard) is one blob with two links;
 * a blob whose only link is its own (nlink 1) belongs to no snapshot any more.
 */
export class WeightCache {
  readonly blobs: string;
  readonly partials: string;
  readonly snapshots: string;

  constructor(readonly root: string) {
    this.blobs = join(root, 'blobs');
    this.partials = join(root, 'partial');
    this.snapshots = join(root, 'snapshots');
  }

  async init(): Promise<void> {
    for (const dir of [this.blobs, this.partials, this.snapshots]) await mkdir(dir, { recursive: true });
  }

  snapshotDir(ref: ModelRef): string {
    return join(this.snapshots, ref.repo.replace('/', '--'), ref.digest.replace(':', '-'));
  }

  blobPath(sha256: string): string {
    return join(this.blobs, sha256);
  }

  async hasBlob(sha256: string, size: number): Promise<boolean> {
    const s = await stat(this.blobPath(sha256)).catch(() => null);
    return s !== null && s.isFile() && s.size === size;
  }

  /** The marker of a complete snapshot whose files are all still there; null means fetch (again). */
  async complete(ref: ModelRef): Promise<Marker | null> {
    const dir = this.snapshotDir(ref);
    let marker: Marker;
    try {
      marker = JSON.parse(await readFile(join(dir, COMPLETION_MARKER), 'utf8')) as Marker;
    } catch {
      return null;
    }
    for (const file of marker.files) {
      const s = await stat(join(dir, file.path)).catch(() => null);
      if (!s || s.size !== file.size) return null;
    }
    return marker;
  }

  /** Marks a snapshot just used: eviction takes the least recently used first. */
  async touch(ref: ModelRef): Promise<void> {
    const now = new Date();
    await utimes(join(this.snapshotDir(ref), COMPLETION_MARKER), now, now).catch(() => undefined);
  }

  /** Links every file into a fresh snapshot directory, then writes the marker — the last write. */
  async assemble(ref: ModelRef, files: MarkerFile[]): Promise<string> {
    const dir = this.snapshotDir(ref);
    await rm(dir, { recursive: true, force: true });
    for (const file of files) {
      const target = join(dir, file.path);
      await mkdir(dirname(target), { recursive: true });
      await link(this.blobPath(file.sha256), target);
    }
    const marker: Marker = { ref: `${ref.repo}@${ref.digest}`, files, bytes: files.reduce((n, f) => n + f.size, 0), completedAt: new Date().toISOString() };
    const temp = join(dir, `${COMPLETION_MARKER}.${randomBytes(4).toString('hex')}`);
    await writeFile(temp, JSON.stringify(marker, null, 2));
    await rename(temp, join(dir, COMPLETION_MARKER));
    return dir;
  }

  /** Stores a verified download under its hash (atomic rename), read-only. */
  async adopt(partial: string, sha256: string): Promise<void> {
    await chmod(partial, 0o444);
    await rename(partial, this.blobPath(sha256));
  }

  /** Every snapshot directory, with its last use (marker mtime) or null when it never completed. */
  async listSnapshots(): Promise<Array<{ dir: string; lastUsed: number | null }>> {
    const found: Array<{ dir: string; lastUsed: number | null }> = [];
    for (const repo of await readdir(this.snapshots).catch(() => [])) {
      for (const digest of await readdir(join(this.snapshots, repo)).catch(() => [])) {
        const dir = join(this.snapshots, repo, digest);
        const marker = await stat(join(dir, COMPLETION_MARKER)).catch(() => null);
        found.push({ dir, lastUsed: marker ? marker.mtimeMs : null });
      }
    }
    return found;
  }

  /** Deletes blobs no snapshot links to any more, but those in `keep`; returns the bytes freed. */
  async collectGarbage(keep: ReadonlySet<string> = new Set()): Promise<number> {
    let freed = 0;
    for (const name of await readdir(this.blobs).catch(() => [])) {
      if (keep.has(name)) continue;
      const path = join(this.blobs, name);
      const s = await stat(path).catch(() => null);
      if (s && s.nlink <= 1) {
        await rm(path, { force: true });
        freed += s.size;
      }
    }
    return freed;
  }

  async removeSnapshot(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    // The repo's directory goes with its last snapshot (rmdir refuses while another remains).
    await rmdir(dirname(dir)).catch(() => undefined);
  }

  /** Bytes held: blobs (each once, however many snapshots link it) and partial downloads. */
  async usedBytes(): Promise<number> {
    let used = 0;
    for (const dir of [this.blobs, this.partials]) {
      for (const name of await readdir(dir).catch(() => [])) used += (await stat(join(dir, name)).catch(() => null))?.size ?? 0;
    }
    return used;
  }
}
