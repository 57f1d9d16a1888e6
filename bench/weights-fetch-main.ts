// `npm run bench:weights`: fetches a synthetic snapshot (2 GiB unless WEIGHTS_BENCH_BYTES says
// otherwise) from a loopback fake Hippius hub with verification, and writes the figures to
// bench/results/<time>-weights-fetch.{json,md}.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchWeightsFetch } from './weights-fetch.js';

const bytes = Number(process.env.WEIGHTS_BENCH_BYTES ?? 2 * 1024 ** 3);
const workDir = await mkdtemp(join(process.env.WEIGHTS_BENCH_DIR ?? tmpdir(), 'weights-bench-'));
try {
  const r = await benchWeightsFetch({ bytes, workDir });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const md = [
    `# Weights fetch: ${(r.bytes / 1024 ** 3).toFixed(2)} GiB synthetic snapshot, loopback fake hub, verified`,
    '',
    `| files | seconds | MB/s | fetcher CPU s | registry CPU s | load before | load after | machine |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- |`,
    `| ${r.files} | ${r.seconds.toFixed(1)} | ${r.mbPerSecond.toFixed(0)} | ${r.fetcherCpuSeconds.toFixed(1)} | ${r.registryCpuSeconds.toFixed(1)} | ${r.loadBefore.map((l) => l.toFixed(1)).join(' ')} | ${r.loadAfter.map((l) => l.toFixed(1)).join(' ')} | ${r.cores} × ${r.cpu} |`,
    '',
  ].join('\n');
  const results = join(import.meta.dirname, 'results');
  await mkdir(results, { recursive: true });
  await writeFile(join(results, `${stamp}-weights-fetch.json`), `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(join(results, `${stamp}-weights-fetch.md`), md);
  process.stdout.write(md);
} finally {
  await rm(workDir, { recursive: true, force: true });
}
