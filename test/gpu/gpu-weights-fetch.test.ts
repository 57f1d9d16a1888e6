import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPLETION_MARKER,
  createWeightFetcher,
  type FetchProgress,
  type ModelRef,
  type WeightFetcherOptions,
  WeightFetchError,
} from '../../gpu/weights/index.js';
import { FakeHuggingFace } from '../support/fake-weights/fake-hf.js';
import { FakeOciRegistry } from '../support/fake-weights/fake-oci-registry.js';
import { MODEL_INDEX, publishToHf, pushToHub, shard, TRANSFORMER_CONFIG, wanSnapshot, type SnapshotFile } from '../support/fake-weights/wan-snapshot.js';

const HUB_TOKEN = 'hub-token-5b1e0c9d7a';
const HF_TOKEN = 'hf_tokenQ8w7e6r5t4y3';

let hub: FakeOciRegistry;
let hf: FakeHuggingFace;
let base: ModelRef;
let root: string;
const logs: string[] = [];

beforeAll(async () => {
  hub = await new FakeOciRegistry(HUB_TOKEN).start();
  hf = await new FakeHuggingFace(HF_TOKEN).start();
  root = await mkdtemp(join(tmpdir(), 'gpu-weights-'));
  base = { repo: 'leoma/wan2.2-i2v-a14b-diffusers', digest: await pushToHub(hub, 'leoma/wan2.2-i2v-a14b-diffusers', wanSnapshot()) };
});

afterAll(async () => {
  await hub?.stop();
  await hf?.stop();
  await rm(root, { recursive: true, force: true });
});

afterEach(() => {
  // Whatever a test did, no token reached the log.
  for (const line of logs) for (const secret of [HUB_TOKEN, HF_TOKEN]) expect(line).not.toContain(secret);
  logs.length = 0;
});

let dirs = 0;
async function cacheDir(): Promise<string> {
  return mkdtemp(join(root, `cache-${dirs++}-`));
}

function fetcherFor(dir: string, extra: Partial<WeightFetcherOptions> = {}) {
  return createWeightFetcher({
    cacheDir: dir,
    minFreeBytes: 0,
    hfEndpoint: hf.url,
    hubEndpoint: hub.url,
    env: { HIPPIUS_HUB_TOKEN: HUB_TOKEN, HF_TOKEN },
    tokens: { hf: { env: ['HF_TOKEN'], file: null }, hub: { env: ['HIPPIUS_HUB_TOKEN'], file: null } },
    base,
    sizeBounds: { min: 1, max: 1 << 30 },
    requestTimeoutMs: 5_000,
    stallMs: 5_000,
    log: (m) => logs.push(m),
    ...extra,
  });
}

async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)));
  return out.sort();
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const wanted = (files: SnapshotFile[]): SnapshotFile[] => files.filter((f) => !f.path.endsWith('.py') && f.path !== 'README.md');

async function expectSnapshot(dir: string, files: SnapshotFile[]): Promise<void> {
  expect((await tree(dir)).filter((p) => p !== COMPLETION_MARKER)).toEqual(
    wanted(files)
      .map((f) => f.path)
      .sort(),
  );
  for (const file of wanted(files)) expect(sha(await readFile(join(dir, file.path)))).toBe(sha(file.data));
}

async function refusal(promise: Promise<unknown>): Promise<WeightFetchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WeightFetchError);
  return error as WeightFetchError;
}

const never = new AbortController().signal;

describe('fetching a snapshot by digest', () => {
  it('fetches a hub snapshot (plain and chunked-v1 files) into a verified, complete snapshot, and never any code', async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-plain-and-chunked', digest: await pushToHub(hub, 'miner/leoma-plain-and-chunked', files) };
    const progress: FetchProgress[] = [];
    const before = hub.requests.length;

    const dir = await fetcherFor(await cacheDir()).fetch(ref, (p) => progress.push(p), never);

    await expectSnapshot(dir, files);
    const marker = JSON.parse(await readFile(join(dir, COMPLETION_MARKER), 'utf8')) as { ref: string; bytes: number };
    const total = wanted(files).reduce((n, f) => n + f.data.length, 0);
    expect(marker).toMatchObject({ ref: `${ref.repo}@${ref.digest}`, bytes: total });
    expect(progress.at(-1)).toEqual({ bytesDone: total, bytesTotal: total });
    expect(progress.every((p, i) => i === 0 || p.bytesDone >= progress[i - 1]!.bytesDone)).toBe(true);
    const requests = hub.requests.slice(before);
    // The chunked shards arrived as their chunk blobs (3 MiB in 512 KiB chunks = 6 each).
    const shardSha = sha(files.find((f) => f.path === 'transformer/diffusion_pytorch_model.safetensors')!.data);
    expect(requests.some((r) => r.path.endsWith(shardSha))).toBe(false);
    expect(requests.filter((r) => r.path.includes('/blobs/')).length).toBeGreaterThanOrEqual(6 * 3);
    // The hub token went to the token service only; the registry saw short-lived pull tokens.
    expect(requests.filter((r) => r.authorization === `Bearer ${HUB_TOKEN}`).every((r) => r.path === '/service/token')).toBe(true);
    expect(requests.filter((r) => r.path.startsWith('/v2/') && r.authorization?.startsWith('Bearer pull-')).length).toBeGreaterThan(0);
  });

  it("fetches a chunked-v2 snapshot (the layout hippius-hub 0.6, the validators' pinned client, writes): each chunk a range of its pack, verified", async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-packs', digest: await pushToHub(hub, 'miner/leoma-packs', files, 1 << 20, 512 << 10, 'chunked-v2') };
    const before = hub.requests.length;

    const dir = await fetcherFor(await cacheDir()).fetch(ref, () => undefined, never);

    await expectSnapshot(dir, files);
    const ranges = hub.requests
      .slice(before)
      .filter((r) => r.path.includes('/blobs/') && r.range)
      .map((r) => r.range);
    expect(ranges).toContain('bytes=0-524287');
    expect(ranges).toContain('bytes=524288-1048575');
  });

  it('refuses a chunked-v2 chunk whose bytes in its pack do not match its digest', async () => {
    const files = wanSnapshot();
    const shardData = files.find((f) => f.path === 'text_encoder/model.safetensors')!.data;
    const ref = { repo: 'miner/leoma-bad-pack', digest: await pushToHub(hub, 'miner/leoma-bad-pack', files, 1 << 20, 512 << 10, 'chunked-v2') };
    // The text encoder's second pack holds its fourth chunk only (3 chunks a pack).
    hub.faults.arm(sha(shardData.subarray(3 * (512 << 10))), { corrupt: true });

    const error = await refusal(fetcherFor(await cacheDir()).fetch(ref, () => undefined, never));

    expect(error.code).toBe('digest_mismatch');
    expect(error.message).toContain('text_encoder/model.safetensors: chunk 4 of 4');
  });

  it('fetches a Hugging Face commit: LFS files verified by their oid, git files by their blob id; the token never follows the CDN redirect', async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-on-hf', digest: publishToHf(hf, 'miner/leoma-on-hf', files) };
    const before = hf.requests.length;

    const dir = await fetcherFor(await cacheDir()).fetch(ref, () => undefined, never);

    await expectSnapshot(dir, files);
    const requests = hf.requests.slice(before);
    expect(requests.find((r) => r.path.startsWith('/api/models/'))?.authorization).toBe(`Bearer ${HF_TOKEN}`);
    const cdn = requests.filter((r) => r.server === 'cdn');
    expect(cdn.length).toBe(4);
    expect(cdn.every((r) => r.authorization === undefined)).toBe(true);
    expect(requests.some((r) => r.path.endsWith('.py'))).toBe(false);
  });

  it('answers a snapshot already complete from the cache without a request', async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-cached', digest: await pushToHub(hub, 'miner/leoma-cached', files) };
    const dir = await cacheDir();
    const fetcher = fetcherFor(dir);
    const first = await fetcher.fetch(ref, () => undefined, never);
    const before = hub.requests.length;

    expect(await fetcher.fetch(ref, () => undefined, never)).toBe(first);
    // A restarted server finds it too.
    expect(await fetcherFor(dir).fetch(ref, () => undefined, never)).toBe(first);
    expect(hub.requests.length).toBe(before);
  });

  it('refuses a file whose bytes do not match its SHA-256, deletes them, and fetches it whole next time', async () => {
    const files = wanSnapshot();
    const victim = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    const ref = { repo: 'miner/leoma-corrupt', digest: await pushToHub(hub, 'miner/leoma-corrupt', files) };
    const dir = await cacheDir();
    hub.faults.arm(sha(victim.data), { corrupt: true });

    const error = await refusal(fetcherFor(dir).fetch(ref, () => undefined, never));

    expect(error.code).toBe('digest_mismatch');
    expect(error.message).toContain('vae/diffusion_pytorch_model.safetensors');
    expect(error.message).toContain(sha(victim.data));
    expect(await readdir(join(dir, 'partial'))).not.toContain(sha(victim.data));
    expect(await readdir(join(dir, 'blobs'))).not.toContain(sha(victim.data));
    expect(await stat(join(dir, 'snapshots', 'miner--leoma-corrupt')).catch(() => null)).toBeNull();

    const before = hub.requests.length;
    const snapshot = await fetcherFor(dir).fetch(ref, () => undefined, never);
    await expectSnapshot(snapshot, files);
    expect(
      hub.requests
        .slice(before)
        .filter((r) => r.path.endsWith(sha(victim.data)))
        .map((r) => r.range),
    ).toEqual([undefined]);
  });

  it('cancels the downloads still running once one file is refused', async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-refused-early', digest: await pushToHub(hub, 'miner/leoma-refused-early', files) };
    const slow = files.find((f) => f.path === 'transformer/diffusion_pytorch_model.safetensors')!.data;
    const bad = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!.data;
    hub.faults.arm(sha(slow.subarray(0, 512 << 10)), { stallAfter: 1000 });
    hub.faults.arm(sha(bad), { corrupt: true });
    const began = Date.now();

    const error = await refusal(fetcherFor(await cacheDir(), { stallMs: 20_000 }).fetch(ref, () => undefined, never));

    expect(error.code).toBe('digest_mismatch');
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  it('refuses a corrupt chunk of a chunked-v1 file by the chunk digest', async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-bad-chunk', digest: await pushToHub(hub, 'miner/leoma-bad-chunk', files) };
    const shardData = files.find((f) => f.path === 'text_encoder/model.safetensors')!.data;
    hub.faults.arm(sha(shardData.subarray(512 << 10, 1024 << 10)), { corrupt: true });

    const error = await refusal(fetcherFor(await cacheDir()).fetch(ref, () => undefined, never));

    expect(error.code).toBe('digest_mismatch');
    expect(error.message).toContain('text_encoder/model.safetensors: chunk 2 of 4');
  });

  it('resumes a download cut in the middle with a Range request, and verifies the whole file', async () => {
    const files = wanSnapshot();
    const victim = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    const ref = { repo: 'miner/leoma-cut', digest: await pushToHub(hub, 'miner/leoma-cut', files) };
    hub.faults.arm(sha(victim.data), { cutAfter: 100_000 });
    const before = hub.requests.length;

    const dir = await fetcherFor(await cacheDir(), { retries: 2 }).fetch(ref, () => undefined, never);

    await expectSnapshot(dir, files);
    const ranges = hub.requests
      .slice(before)
      .filter((r) => r.path.endsWith(sha(victim.data)))
      .map((r) => r.range);
    expect(ranges[0]).toBeUndefined();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(ranges[1]!)![0])).toBeGreaterThan(0);
    expect(logs.some((l) => l.includes('resuming'))).toBe(true);
  });

  it('never trusts a download left cut: no marker, and the next fetch resumes it from the partial file', async () => {
    const files = wanSnapshot();
    const victim = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    const ref = { repo: 'miner/leoma-cut-twice', digest: await pushToHub(hub, 'miner/leoma-cut-twice', files) };
    const dir = await cacheDir();
    hub.faults.arm(sha(victim.data), { cutAfter: 60_000 });

    const error = await refusal(fetcherFor(dir, { retries: 0 }).fetch(ref, () => undefined, never));

    expect(error.code).toBe('remote_error');
    const snapshotDir = join(dir, 'snapshots', 'miner--leoma-cut-twice', ref.digest.replace(':', '-'));
    expect(await stat(join(snapshotDir, COMPLETION_MARKER)).catch(() => null)).toBeNull();
    const kept = (await stat(join(dir, 'partial', sha(victim.data)))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(victim.data.length);

    const before = hub.requests.length;
    await expectSnapshot(await fetcherFor(dir).fetch(ref, () => undefined, never), files);
    expect(
      hub.requests
        .slice(before)
        .filter((r) => r.path.endsWith(sha(victim.data)))
        .map((r) => r.range),
    ).toEqual([`bytes=${kept}-`]);
  });

  it('starts a file over when the server ignores the Range of a resume', async () => {
    const files = wanSnapshot();
    const victim = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    const ref = { repo: 'miner/leoma-no-range', digest: await pushToHub(hub, 'miner/leoma-no-range', files) };
    hub.faults.arm(sha(victim.data), { cutAfter: 50_000 });
    hub.faults.arm(sha(victim.data), { ignoreRange: true });

    await expectSnapshot(await fetcherFor(await cacheDir()).fetch(ref, () => undefined, never), files);
  });

  it('refuses an unknown layout by name before fetching any blob', async () => {
    const digest = hub.putManifest('miner/leoma-v3', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      layers: [
        {
          mediaType: 'application/vnd.hippius.pointer.v3',
          digest: `sha256:${'ab'.repeat(32)}`,
          size: 10,
          annotations: { 'org.opencontainers.image.title': 'model_index.json' },
        },
      ],
      annotations: { 'com.hippius.layout': 'chunked-v3' },
    });
    const before = hub.blobRequests().length;

    const error = await refusal(fetcherFor(await cacheDir()).fetch({ repo: 'miner/leoma-v3', digest }, () => undefined, never));

    expect(error.code).toBe('unsupported_layout');
    expect(error.message).toContain('"chunked-v3"');
    expect(hub.blobRequests().length).toBe(before);
  });

  it('refuses a manifest whose bytes do not hash to the digest asked for', async () => {
    const files = wanSnapshot();
    const digest = await pushToHub(hub, 'miner/leoma-lying-hub', files);
    hub.replaceManifest('miner/leoma-lying-hub', digest, { schemaVersion: 2, layers: [] });

    const error = await refusal(fetcherFor(await cacheDir()).fetch({ repo: 'miner/leoma-lying-hub', digest }, () => undefined, never));

    expect(error.code).toBe('digest_mismatch');
  });

  it('gives up on a manifest that stops arriving', async () => {
    const digest = await pushToHub(hub, 'miner/leoma-hanging-manifest', wanSnapshot());
    hub.hangManifests = true;
    try {
      const error = await refusal(
        fetcherFor(await cacheDir(), { requestTimeoutMs: 300 }).fetch({ repo: 'miner/leoma-hanging-manifest', digest }, () => undefined, never),
      );
      expect(error.code).toBe('timeout');
      expect(error.message).toContain('the manifest did not arrive within 300 ms');
    } finally {
      hub.hangManifests = false;
    }
  });

  it('refuses a file name that would land outside the snapshot', async () => {
    const digest = await hub.push('miner/leoma-traversal', [
      { path: '../../escape.json', content: (await import('../support/fake-weights/content.js')).bufferContent(Buffer.from('{}')) },
    ]);
    const dir = await cacheDir();

    const error = await refusal(fetcherFor(dir).fetch({ repo: 'miner/leoma-traversal', digest }, () => undefined, never));

    expect(error.code).toBe('malformed_listing');
    expect(await stat(join(dir, '..', 'escape.json')).catch(() => null)).toBeNull();
  });

  it('refuses a malformed reference before any request', async () => {
    const before = hub.requests.length;
    for (const ref of [
      { repo: 'miner/x', digest: 'sha256:abc' },
      { repo: '../etc', digest: `sha256:${'a'.repeat(64)}` },
      { repo: 'miner/../../x', digest: `hf:${'a'.repeat(40)}` },
    ]) {
      expect((await refusal(fetcherFor(await cacheDir()).fetch(ref, () => undefined, never))).code).toBe('invalid_ref');
    }
    expect(hub.requests.length).toBe(before);
  });
});

describe('the architecture check, before any weight', () => {
  it('refuses a snapshot whose second expert has another shape, having fetched its configs only', async () => {
    const files = wanSnapshot({ transformer2: { ...TRANSFORMER_CONFIG, num_layers: 39 } });
    const ref = { repo: 'miner/leoma-wrong-shape', digest: await pushToHub(hub, 'miner/leoma-wrong-shape', files) };
    const weightDigests = new Set(
      files
        .filter((f) => f.path.endsWith('.safetensors'))
        .flatMap((f) => [sha(f.data), ...[0, 1, 2, 3, 4, 5].map((i) => sha(f.data.subarray(i * (512 << 10), (i + 1) * (512 << 10))))]),
    );
    const before = hub.blobRequests().length;
    const began = Date.now();

    const error = await refusal(fetcherFor(await cacheDir()).fetch(ref, () => undefined, never));

    expect(error.code).toBe('arch_mismatch');
    expect(error.message).toBe('transformer_2/config.json num_layers=39 but the pinned architecture locks it to 40');
    const blobs = hub.blobRequests().slice(before);
    expect(blobs.length).toBeGreaterThan(0);
    expect(blobs.filter((d) => weightDigests.has(d.slice(7)))).toEqual([]);
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  it('refuses another pipeline, an extra component and a stub by size, each named', async () => {
    const cases: Array<[SnapshotFile[], string, Partial<WeightFetcherOptions>]> = [
      [wanSnapshot({ modelIndex: { ...MODEL_INDEX, _class_name: 'WanPipeline' } }), 'model_index.json declares _class_name="WanPipeline"', {}],
      [wanSnapshot({ modelIndex: { ...MODEL_INDEX, safety_checker: ['my_package', 'Backdoor'] } }), 'unexpected pipeline components: safety_checker', {}],
      [wanSnapshot(), 'below the', { sizeBounds: { min: 1 << 30, max: 200 * 2 ** 30 } }],
    ];
    for (const [i, [files, message, extra]] of cases.entries()) {
      const repo = `miner/leoma-refused-${i}`;
      const ref = { repo, digest: await pushToHub(hub, repo, files) };
      const error = await refusal(fetcherFor(await cacheDir(), extra).fetch(ref, () => undefined, never));
      expect(error.code).toBe('arch_mismatch');
      expect(error.message).toContain(message);
    }
  });
});

describe('the cache', () => {
  it('stores files shared by two snapshots once, and fetches them once', async () => {
    const shared = { 'text_encoder/model.safetensors': shard(2 << 20), 'vae/diffusion_pytorch_model.safetensors': shard(256 << 10) };
    const one = wanSnapshot({
      weights: {
        ...shared,
        'transformer/diffusion_pytorch_model.safetensors': shard(1 << 20),
        'transformer_2/diffusion_pytorch_model.safetensors': shard(1 << 20),
      },
    });
    const two = wanSnapshot({
      weights: {
        ...shared,
        'transformer/diffusion_pytorch_model.safetensors': shard(1 << 20),
        'transformer_2/diffusion_pytorch_model.safetensors': shard(1 << 20),
      },
    });
    const refOne = { repo: 'miner/leoma-share', digest: await pushToHub(hub, 'miner/leoma-share', one, 4 << 20) };
    const refTwo = { repo: 'other/leoma-share', digest: await pushToHub(hub, 'other/leoma-share', two, 4 << 20) };
    const dir = await cacheDir();
    const fetcher = fetcherFor(dir);
    const before = hub.blobRequests().length;

    const first = await fetcher.fetch(refOne, () => undefined, never);
    const second = await fetcher.fetch(refTwo, () => undefined, never);

    await expectSnapshot(first, one);
    await expectSnapshot(second, two);
    for (const path of Object.keys(shared)) {
      const [a, b] = await Promise.all([stat(join(first, path)), stat(join(second, path))]);
      expect(a.ino).toBe(b.ino);
    }
    const requested = hub.blobRequests().slice(before);
    for (const data of Object.values(shared)) expect(requested.filter((d) => d === `sha256:${sha(data)}`)).toHaveLength(1);
    const distinct = new Set([...wanted(one), ...wanted(two)].map((f) => sha(f.data)));
    expect((await readdir(join(dir, 'blobs'))).length).toBe(distinct.size);
    const usage = await fetcher.cacheUsage();
    expect(usage.usedBytes).toBe([...new Map([...wanted(one), ...wanted(two)].map((f) => [sha(f.data), f.data.length])).values()].reduce((n, s) => n + s, 0));
  });

  it('fetches a file repeated within one snapshot once', async () => {
    const expert = shard(1 << 20);
    const files = wanSnapshot({
      weights: {
        'transformer/diffusion_pytorch_model.safetensors': expert,
        'transformer_2/diffusion_pytorch_model.safetensors': expert,
        'text_encoder/model.safetensors': shard(1 << 20),
      },
    });
    const ref = { repo: 'miner/leoma-twin-experts', digest: await pushToHub(hub, 'miner/leoma-twin-experts', files, 4 << 20) };
    const before = hub.blobRequests().length;

    const dir = await fetcherFor(await cacheDir()).fetch(ref, () => undefined, never);

    await expectSnapshot(dir, files);
    expect(
      hub
        .blobRequests()
        .slice(before)
        .filter((d) => d === `sha256:${sha(expert)}`),
    ).toHaveLength(1);
  });

  it('evicts the least recently used snapshot (never a pinned one) to keep the free-space floor, and refuses when nothing can go', async () => {
    const dir = await cacheDir();
    const capacity = 24 << 20; // room for two snapshots of 8.5 MiB and the floor, not three
    const floor = 4 << 20;
    // The disk as the fetcher sees it: a fixed capacity minus what the cache holds.
    const freeSpace = async (): Promise<number> => capacity - (await createWeightFetcher({ cacheDir: dir, minFreeBytes: 0 }).cacheUsage()).usedBytes;
    const snapshot = async (name: string): Promise<ModelRef> => ({ repo: `miner/${name}`, digest: await pushToHub(hub, `miner/${name}`, wanSnapshot()) });
    const [a, b, c, d] = [await snapshot('leoma-lru-a'), await snapshot('leoma-lru-b'), await snapshot('leoma-lru-c'), await snapshot('leoma-lru-d')];
    let pinned: ModelRef[] = [];
    const fetcher = fetcherFor(dir, { freeSpace, minFreeBytes: floor, pinned: () => pinned });
    const exists = async (ref: ModelRef): Promise<boolean> =>
      (await stat(join(dir, 'snapshots', ref.repo.replace('/', '--'), ref.digest.replace(':', '-'))).catch(() => null)) !== null;

    await fetcher.fetch(a, () => undefined, never);
    await new Promise((r) => setTimeout(r, 20));
    await fetcher.fetch(b, () => undefined, never);
    await new Promise((r) => setTimeout(r, 20));
    await fetcher.fetch(a, () => undefined, never); // a is now the more recently used
    await new Promise((r) => setTimeout(r, 20));
    await fetcher.fetch(c, () => undefined, never);

    expect([await exists(a), await exists(b), await exists(c)]).toEqual([true, false, true]);
    expect(await freeSpace()).toBeGreaterThanOrEqual(floor);
    expect(logs.some((l) => l.includes('evicted') && l.includes('miner--leoma-lru-b'))).toBe(true);

    // a is the least recently used now, but it is being served: c goes instead.
    pinned = [a];
    await fetcher.fetch(d, () => undefined, never);
    expect([await exists(a), await exists(c), await exists(d)]).toEqual([true, false, true]);
    expect(await freeSpace()).toBeGreaterThanOrEqual(floor);

    // With both kept snapshots pinned nothing can go: refused before a weight is fetched.
    pinned = [a, d];
    const e = await snapshot('leoma-lru-e');
    const blobsBefore = hub.blobRequests().length;
    const error = await refusal(fetcherFor(dir, { freeSpace, minFreeBytes: 20 << 20, pinned: () => pinned }).fetch(e, () => undefined, never));
    expect(error.code).toBe('insufficient_space');
    expect([await exists(a), await exists(d)]).toEqual([true, true]);
    expect(hub.blobRequests().slice(blobsBefore).length).toBeLessThanOrEqual(4); // the configs only
  });
});

describe('cancelling, caps and credentials', () => {
  it('stops on the abort signal, keeps nothing trusted, and resumes afterwards', async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-abort', digest: await pushToHub(hub, 'miner/leoma-abort', files) };
    const dir = await cacheDir();
    const controller = new AbortController();
    // The VAE stalls after 1,000 bytes (well inside the 5 s stall watchdog), so the fetch cannot
    // finish before the abort: aborting from the progress callback raced a fast loopback fetch.
    const vae = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    hub.faults.arm(sha(vae.data), { stallAfter: 1000 });
    const aborting = setTimeout(() => controller.abort(), 300);

    const error = await refusal(fetcherFor(dir, { concurrency: 1 }).fetch(ref, () => undefined, controller.signal)).finally(() => clearTimeout(aborting));

    expect(error.code).toBe('aborted');
    expect(await stat(join(dir, 'snapshots', 'miner--leoma-abort', ref.digest.replace(':', '-'), COMPLETION_MARKER)).catch(() => null)).toBeNull();
    await expectSnapshot(await fetcherFor(dir).fetch(ref, () => undefined, never), files);
  });

  it('gives up on a fetch that takes longer than its cap', async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-slow', digest: await pushToHub(hub, 'miner/leoma-slow', files) };
    const victim = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    // Cut every time: the retries back off until the cap ends the fetch.
    hub.faults.arm(sha(victim.data), { cutAfter: 1000, times: 20 });

    const error = await refusal(fetcherFor(await cacheDir(), { maxFetchMs: 1_500, retries: 20 }).fetch(ref, () => undefined, never));

    expect(error.code).toBe('timeout');
  });

  it('lets a body take longer than the wait for its response head, as long as it flows', async () => {
    const files = wanSnapshot();
    const victim = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    const ref = { repo: 'miner/leoma-slow-link', digest: await pushToHub(hub, 'miner/leoma-slow-link', files) };
    hub.faults.arm(sha(victim.data), { trickleMs: 150 });

    await expectSnapshot(await fetcherFor(await cacheDir(), { requestTimeoutMs: 300, retries: 0 }).fetch(ref, () => undefined, never), files);
  });

  it('drops a body that goes silent and resumes it', async () => {
    const files = wanSnapshot();
    const victim = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    const ref = { repo: 'miner/leoma-stall', digest: await pushToHub(hub, 'miner/leoma-stall', files) };
    hub.faults.arm(sha(victim.data), { stallAfter: 70_000 });
    const before = hub.requests.length;

    await expectSnapshot(await fetcherFor(await cacheDir(), { stallMs: 300 }).fetch(ref, () => undefined, never), files);

    expect(logs.some((l) => l.includes('sent nothing for 300 ms') && l.includes('resuming'))).toBe(true);
    expect(
      hub.requests
        .slice(before)
        .filter((r) => r.path.endsWith(sha(victim.data)))
        .map((r) => r.range),
    ).toEqual([undefined, 'bytes=70000-']);
  });

  it('refuses a file whose server sends more bytes than the listing declares', async () => {
    const files = wanSnapshot();
    const victim = files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!;
    const ref = { repo: 'miner/leoma-oversized', digest: await pushToHub(hub, 'miner/leoma-oversized', files) };
    const dir = await cacheDir();
    hub.faults.arm(sha(victim.data), { extraBytes: 1 << 20 });

    const error = await refusal(fetcherFor(dir).fetch(ref, () => undefined, never));

    expect(error.code).toBe('size_mismatch');
    expect(await readdir(join(dir, 'partial'))).not.toContain(sha(victim.data));
  });

  it('reads tokens from files, sends them as Bearer, and keeps them out of errors and logs', async () => {
    const files = wanSnapshot();
    const ref = { repo: 'miner/leoma-token-file', digest: publishToHf(hf, 'miner/leoma-token-file', files) };
    const tokenFile = join(root, 'hf-token');
    await writeFile(tokenFile, `${HF_TOKEN}\n`);
    const hubToken = { env: ['HIPPIUS_HUB_TOKEN'], file: null };
    const fromFile = fetcherFor(await cacheDir(), {
      env: { HIPPIUS_HUB_TOKEN: HUB_TOKEN },
      tokens: { hf: { env: ['HF_TOKEN'], file: tokenFile }, hub: hubToken },
    });
    await expectSnapshot(await fromFile.fetch(ref, () => undefined, never), files);

    // A token file holding two lines: the header is invalid, and the error would quote it.
    await writeFile(tokenFile, `${HF_TOKEN}\n${HUB_TOKEN}\n`);
    const broken = fetcherFor(await cacheDir(), {
      env: { HIPPIUS_HUB_TOKEN: HUB_TOKEN },
      retries: 0,
      tokens: { hf: { env: [], file: tokenFile }, hub: hubToken },
    });
    const error = await refusal(broken.fetch(ref, () => undefined, never));
    expect(`${error.message}\n${error.stack}`).not.toContain(HF_TOKEN);
    expect(`${error.message}\n${error.stack}`).not.toContain(HUB_TOKEN);

    // A wrong hub token: refused, named as the configured token, never quoted.
    const wrong = fetcherFor(await cacheDir(), { env: { HIPPIUS_HUB_TOKEN: `${HUB_TOKEN}-wrong` } });
    const hubRef = { repo: 'miner/leoma-wrong-token', digest: await pushToHub(hub, 'miner/leoma-wrong-token', files) };
    const refused = await refusal(wrong.fetch(hubRef, () => undefined, never));
    expect(refused.message).toContain('the configured hub token');
    expect(refused.message).not.toContain(HUB_TOKEN);
  });
});
