import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { COMPLETION_MARKER, createWeightFetcher, type ModelRef } from '../gpu/weights/index.js';
import { MODEL_INDEX, TRANSFORMER_CONFIG, VAE_CONFIG } from '../test/support/fake-weights/wan-snapshot.js';

export interface WeightsBenchResult {
  bytes: number;
  files: number;
  seconds: number;
  mbPerSecond: number;
  /** CPU seconds the fetcher's process spent (downloading, hashing, writing). */
  fetcherCpuSeconds: number;
  registryCpuSeconds: number;
  loadBefore: number[];
  loadAfter: number[];
  cores: number;
  cpu: string;
}

/** CPU seconds a process has used, from /proc (user + system). */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Fetches a synthetic snapshot of `bytes` from a fake Hippius hub on 127.0.0.1 (another process)
 * through the real fetcher, verification included, into `workDir/cache`; `workDir/registry` holds
 * the registry's copy. Needs about twice `bytes` of disk.
 */
export async function benchWeightsFetch(options: { bytes: number; workDir: string }): Promise<WeightsBenchResult> {
  const registryDir = join(options.workDir, 'registry');
  await mkdir(registryDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      join(import.meta.dirname, 'ts-resolve.mjs'),
      join(import.meta.dirname, 'weights-registry.ts'),
      registryDir,
      String(options.bytes),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the bench registry exited (${code}) before it was ready`)));
    });
    const { url, token, ref } = JSON.parse(line) as { url: string; token: string; ref: ModelRef };
    const fetcher = createWeightFetcher({
      cacheDir: join(options.workDir, 'cache'),
      minFreeBytes: 0,
      hubEndpoint: url,
      env: { HIPPIUS_HUB_TOKEN: token },
      tokens: { hub: { env: ['HIPPIUS_HUB_TOKEN'], file: null }, hf: { env: [], file: null } },
      baseArchitecture: { modelIndex: MODEL_INDEX, configs: { transformer: TRANSFORMER_CONFIG, transformer_2: TRANSFORMER_CONFIG, vae: VAE_CONFIG } },
      sizeBounds: { min: 1, max: 200 * 1024 ** 3 },
    });
    const loadBefore = loadavg();
    const [fetcherBefore, registryBefore] = [await cpuSeconds(process.pid), await cpuSeconds(child.pid!)];
    const began = performance.now();
    const dir = await fetcher.fetch(ref, () => undefined, new AbortController().signal);
    const seconds = (performance.now() - began) / 1000;
    const [fetcherAfter, registryAfter] = [await cpuSeconds(process.pid), await cpuSeconds(child.pid!)];
    const marker = JSON.parse(await readFile(join(dir, COMPLETION_MARKER), 'utf8')) as { bytes: number; files: unknown[] };
    return {
      bytes: marker.bytes,
      files: marker.files.length,
      seconds,
      mbPerSecond: marker.bytes / 1e6 / seconds,
      fetcherCpuSeconds: fetcherAfter - fetcherBefore,
      registryCpuSeconds: registryAfter - registryBefore,
      loadBefore,
      loadAfter: loadavg(),
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
    };
  } finally {
    child.stdin!.end();
    child.kill();
  }
}
