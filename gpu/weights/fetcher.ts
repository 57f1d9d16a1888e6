import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ArchConfigs, checkArchitecture, GENESIS_BASE, LOCKED_KEYS, MAX_SNAPSHOT_BYTES, MIN_SNAPSHOT_BYTES, type SizeBounds } from './architecture.js';
import { type FreeSpaceProbe, type MarkerFile, statfsFreeSpace, WeightCache } from './cache.js';
import { downloadFile } from './download.js';
import { redacted, WeightFetchError } from './errors.js';
import { huggingFace } from './hf.js';
import { hippiusHub } from './oci.js';
import { isArchConfig } from './patterns.js';
import type { Remote } from './remote.js';
import { type Credential, defaultTokenSources, resolveCredential, type TokenSources } from './tokens.js';
import type { FetchProgress, ModelRef, RemoteFile, WeightSource } from './types.js';

export interface WeightFetcherOptions {
  cacheDir: string;
  /** Free space to leave on the cache's file system after a download; snapshots are evicted to keep it. */
  minFreeBytes: number;
  hfEndpoint?: string;
  hubEndpoint?: string;
  /** Where the Hugging Face and hub credentials come from (defaults: the validators' variables and the clients' token files). */
  tokens?: TokenSources;
  env?: NodeJS.ProcessEnv;
  /** The snapshot whose configs define the architecture (default: the genesis base). */
  base?: ModelRef;
  /** The base's configs, when known without a fetch (e.g. shipped with the image). */
  baseArchitecture?: ArchConfigs;
  /** Allowed total snapshot size (default 1 GiB–200 GiB, as the validators). */
  sizeBounds?: SizeBounds;
  /** Snapshots never evicted (the one being served); the one being fetched is always kept. */
  pinned?: () => Iterable<ModelRef>;
  freeSpace?: FreeSpaceProbe;
  /** Cap on one fetch, listing to marker (default 6 h). */
  maxFetchMs?: number;
  /** Wait for a response head (default 60 s). */
  requestTimeoutMs?: number;
  /** A body silent this long is dropped and resumed (default 120 s). */
  stallMs?: number;
  /** Attempts per file after a network failure, each resuming where the last stopped (default 5). */
  retries?: number;
  /** Files downloaded at once (default 4). */
  concurrency?: number;
  log?: (message: string) => void;
}

const HF_DIGEST = /^hf:[0-9a-f]{40}$/;
const OCI_DIGEST = /^sha256:[0-9a-f]{64}$/;
// leoma/infra/model_store.py REPO_RE, without `..` (the repo becomes a URL path).
const REPO = /^[a-zA-Z0-9][a-zA-Z0-9._-]*\/[a-zA-Z0-9][a-zA-Z0-9._/-]*$/;
const CONFIG_LIMIT = 16 * 1024 * 1024;

export function parseRef(model: ModelRef): ModelRef {
  const repo = String(model?.repo ?? '').trim();
  const digest = String(model?.digest ?? '').trim();
  if (!REPO.test(repo) || repo.split('/').some((s) => s === '..' || s === '.'))
    throw new WeightFetchError('invalid_ref', `invalid repo ${JSON.stringify(repo.slice(0, 200))}: expected owner/name`);
  if (!HF_DIGEST.test(digest) && !OCI_DIGEST.test(digest))
    throw new WeightFetchError('invalid_ref', `invalid digest ${JSON.stringify(digest.slice(0, 100))}: expected hf:<40 hex> or sha256:<64 hex>`);
  return { repo, digest };
}

const sameRef = (a: ModelRef, b: ModelRef): boolean => a.repo === b.repo && a.digest === b.digest;

/**
 * Runs `work` over `items`, `limit` at a time. The first failure stops new work, calls `onFailure`
 * (which cancels the downloads still running: a 10 GB shard need not finish once the snapshot is
 * refused) and is what is thrown, not the cancellations it caused.
 */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>, onFailure: () => void): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        if (!failure) {
          failure = { error };
          onFailure();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

export function createWeightFetcher(options: WeightFetcherOptions): WeightSource {
  const env = options.env ?? process.env;
  const cache = new WeightCache(options.cacheDir);
  const probe = options.freeSpace ?? statfsFreeSpace;
  const bounds = options.sizeBounds ?? { min: MIN_SNAPSHOT_BYTES, max: MAX_SNAPSHOT_BYTES };
  const limits = { requestTimeoutMs: options.requestTimeoutMs ?? 60_000 };
  const stallMs = options.stallMs ?? 120_000;
  const retries = options.retries ?? 5;
  const concurrency = options.concurrency ?? 4;
  const baseRef = options.base ?? GENESIS_BASE;
  const sources = { ...defaultTokenSources(env), ...options.tokens };
  const log = options.log ?? (() => undefined);

  // Credentials are read once, lazily. Both share one list of secrets (the hub adds each pull token
  // it is issued), and every error that leaves the fetcher has all of them cut out.
  const secrets: string[] = [];
  let remotes: Promise<{ hf: Remote; hub: Remote }> | undefined;
  const getRemotes = (): Promise<{ hf: Remote; hub: Remote }> =>
    (remotes ??= (async () => {
      const [hf, hub]: Credential[] = await Promise.all([resolveCredential(sources.hf, env), resolveCredential(sources.hub, env)]);
      for (const credential of [hf, hub]) {
        secrets.push(...credential.secrets);
        credential.secrets = secrets;
      }
      return {
        hf: huggingFace(options.hfEndpoint ?? 'https://huggingface.co', hf, limits),
        hub: hippiusHub(options.hubEndpoint ?? 'https://registry.hippius.com', hub, limits),
      };
    })());
  const remoteFor = async (ref: ModelRef): Promise<Remote> => {
    const r = await getRemotes();
    return ref.digest.startsWith('hf:') ? r.hf : r.hub;
  };

  let queue: Promise<unknown> = Promise.resolve();
  let baseArchitecture: Promise<ArchConfigs> | undefined = options.baseArchitecture ? Promise.resolve(options.baseArchitecture) : undefined;

  /** Downloads with retries: a network failure resumes from what the partial file kept; a bad hash does not retry. */
  async function fetchFile(remote: Remote, listed: RemoteFile, signal: AbortSignal, onBytes: (n: number) => void): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      let got = 0;
      try {
        // A chunked-v2 file's chunk list is read only now, and not at all when its blob is stored.
        const stored = listed.sha256 !== null && (await cache.hasBlob(listed.sha256, listed.size));
        const file = listed.parts.length > 0 || stored ? listed : await remote.resolve(listed, signal);
        return await downloadFile(file, {
          cache,
          remote,
          signal,
          stallMs,
          onBytes: (n) => {
            got += n;
            onBytes(n);
          },
        });
      } catch (error) {
        // The next attempt reports again what it finds kept on disk.
        onBytes(-got);
        const transient = error instanceof WeightFetchError && (error.code === 'remote_error' || error.code === 'timeout');
        if (!transient || attempt >= retries || signal.aborted) throw error;
        log(`weights: ${listed.path}: ${redacted(error, secrets).message}; resuming (attempt ${attempt + 2} of ${retries + 1})`);
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5_000)));
      }
    }
  }

  /** The architecture configs among a listing's files, fetched (verified, into the blob store) and parsed. */
  async function readConfigs(
    remote: Remote,
    files: RemoteFile[],
    signal: AbortSignal,
    onBytes: (n: number) => void,
    stored = new Map<RemoteFile, string>(),
  ): Promise<ArchConfigs> {
    const parsed: Record<string, unknown> = {};
    for (const file of files.filter((f) => isArchConfig(f.path))) {
      if (file.size > CONFIG_LIMIT)
        throw new WeightFetchError('too_large', `${file.path} is ${file.size} bytes; a config over ${CONFIG_LIMIT} bytes is refused`);
      const sha256 = await fetchFile(remote, file, signal, onBytes);
      stored.set(file, sha256);
      try {
        parsed[file.path] = JSON.parse(await readFile(cache.blobPath(sha256), 'utf8')) as unknown;
      } catch {
        parsed[file.path] = undefined;
      }
    }
    const configs: Record<string, unknown> = {};
    for (const component of Object.keys(LOCKED_KEYS)) configs[component] = parsed[`${component}/config.json`];
    return { modelIndex: parsed['model_index.json'], configs };
  }

  function baseConfigs(signal: AbortSignal): Promise<ArchConfigs> {
    baseArchitecture ??= (async () => {
      const remote = await remoteFor(baseRef);
      const listing = await remote.list(baseRef, signal);
      return readConfigs(remote, listing.files, signal, () => undefined);
    })().catch((error: unknown) => {
      baseArchitecture = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new WeightFetchError(
        error instanceof WeightFetchError && error.code === 'aborted' ? 'aborted' : 'remote_error',
        `could not read the base architecture ${baseRef.repo}@${baseRef.digest}: ${reason}`,
      );
    });
    return baseArchitecture;
  }

  /** Evicts junk, then least-recently-used snapshots, until `need` bytes fit above the free-space floor. */
  async function makeRoom(need: number, keep: ModelRef[], needed: Set<string>): Promise<void> {
    const short = async (): Promise<number> => need + options.minFreeBytes - (await probe(cache.root));
    if ((await short()) <= 0) return;
    const kept = new Set(keep.map((r) => cache.snapshotDir(r)));
    const candidates = (await cache.listSnapshots()).filter((s) => !kept.has(s.dir)).sort((a, b) => (a.lastUsed ?? -1) - (b.lastUsed ?? -1));
    for (const snapshot of candidates) {
      await cache.removeSnapshot(snapshot.dir);
      await cache.collectGarbage(needed);
      log(`weights: evicted ${snapshot.dir} (${snapshot.lastUsed === null ? 'never completed' : `last used ${new Date(snapshot.lastUsed).toISOString()}`})`);
      if ((await short()) <= 0) return;
    }
    // Partial downloads of other files are the last thing to go: resuming them later saves a refetch.
    for (const name of await readdir(cache.partials)) if (!needed.has(name)) await rm(join(cache.partials, name), { force: true });
    const missing = await short();
    if (missing > 0) {
      throw new WeightFetchError(
        'insufficient_space',
        `${need} bytes to download and a ${options.minFreeBytes}-byte free-space floor need ${missing} more bytes than are free after evicting every snapshot not in use (kept: ${keep.map((r) => `${r.repo}@${r.digest}`).join(', ')})`,
      );
    }
  }

  async function run(ref: ModelRef, onProgress: (p: FetchProgress) => void, signal: AbortSignal): Promise<string> {
    await cache.init();
    const hit = await cache.complete(ref);
    if (hit) {
      await cache.touch(ref);
      onProgress({ bytesDone: hit.bytes, bytesTotal: hit.bytes });
      return cache.snapshotDir(ref);
    }
    const remote = await remoteFor(ref);
    const listing = await remote.list(ref, signal);
    const total = listing.files.reduce((n, f) => n + f.size, 0);

    let done = 0;
    let lastReport = 0;
    const report = (force = false): void => {
      const now = Date.now();
      if (!force && now - lastReport < 200) return;
      lastReport = now;
      onProgress({ bytesDone: Math.max(0, Math.min(done, total)), bytesTotal: total });
    };
    const onBytes = (n: number): void => {
      done += n;
      report();
    };
    report(true);

    // Before any weight: the validators' lock on the configs alone.
    const stored = new Map<RemoteFile, string>();
    const candidate = await readConfigs(remote, listing.files, signal, onBytes, stored);
    const base = sameRef(ref, baseRef) ? candidate : await baseConfigs(signal);
    checkArchitecture(candidate, base, total, bounds);

    // Identical files (the two experts' configs, a repeated shard) are one download: two at once
    // would write the same partial file.
    const key = (f: RemoteFile): string => f.sha256 ?? `git-${f.gitBlobSha1!}`;
    const weights = [...new Map(listing.files.filter((f) => !isArchConfig(f.path)).map((f) => [key(f), f])).values()];
    const needed = new Set(listing.files.map(key));
    let need = 0;
    for (const file of weights) if (!(file.sha256 && (await cache.hasBlob(file.sha256, file.size)))) need += file.size;
    await makeRoom(need, [ref, ...(options.pinned?.() ?? [])], needed);

    const byKey = new Map<string, string>();
    for (const [file, sha256] of stored) byKey.set(key(file), sha256);
    const siblings = new AbortController();
    const downloads = AbortSignal.any([signal, siblings.signal]);
    await pool(
      weights,
      concurrency,
      async (file) => {
        byKey.set(key(file), await fetchFile(remote, file, downloads, onBytes));
      },
      () => siblings.abort(),
    );
    // A cancel that came with the last bytes still cancels: no completion marker, the verified blobs
    // stay for the next fetch to reuse.
    signal.throwIfAborted();
    const files: MarkerFile[] = listing.files.map((f) => ({ path: f.path, sha256: byKey.get(key(f))!, size: f.size }));
    const dir = await cache.assemble(ref, files);
    done = total;
    report(true);
    log(
      `weights: ${ref.repo}@${ref.digest} complete (${listing.files.length} files, ${total} bytes${listing.skipped.length ? `; not fetched: ${listing.skipped.join(', ')}` : ''})`,
    );
    return dir;
  }

  return {
    fetch(model, onProgress, signal) {
      const attempt = async (): Promise<string> => {
        const timeout = AbortSignal.timeout(options.maxFetchMs ?? 6 * 3600_000);
        const combined = AbortSignal.any([signal, timeout]);
        try {
          return await run(parseRef(model), onProgress, combined);
        } catch (error) {
          let failure = error;
          if (timeout.aborted)
            failure = new WeightFetchError('timeout', `fetching ${model.repo}@${model.digest} took longer than ${options.maxFetchMs ?? 6 * 3600_000} ms`);
          else if (signal.aborted) failure = new WeightFetchError('aborted', `fetching ${model.repo}@${model.digest} was cancelled`);
          const clean = redacted(failure, secrets);
          log(`weights: ${clean.code}: ${clean.message}`);
          throw clean;
        }
      };
      // One fetch at a time: eviction must know every snapshot in use, and a second fetch of the same
      // snapshot then finds it complete.
      const result = queue.then(attempt, attempt);
      queue = result.catch(() => undefined);
      return result;
    },
    async cacheUsage() {
      await cache.init();
      return { freeBytes: await probe(cache.root), usedBytes: await cache.usedBytes() };
    },
  };
}
