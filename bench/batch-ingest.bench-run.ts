import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { startTestApp } from '../test/support/test-app.js';
import { makeImage } from '../test/support/images.js';
import { sharedBuild } from '../test/support/shared-build.js';
import { freePort } from '../tools/dev/free-port.js';

const ITEMS = Number(process.env.BENCH_BATCH_ITEMS ?? 10_000);
const RUNS = Number(process.env.BENCH_BATCH_RUNS ?? 3);

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * Batch ingest: POST /v1/batches with a JSONL file of ITEMS items, timed from the request to the
 * 202 (every row validated, the quota checked, all items written in multi-row INSERTs and the
 * batch `in_progress`, i.e. schedulable). The api under test is the production build in its own
 * process (`node …/main-api.js`), so its memory is its own: VmRSS before and VmHWM (peak) after.
 * No worker runs, so the scheduler does not compete for the database.
 */
it(`ingest of ${ITEMS} JSONL items`, async () => {
  const app = await startTestApp({ env: { LOG_LEVEL: 'error' } });
  const { key } = await app.tenant({ limits: { max_batch_size: ITEMS } });
  // The in-process api above set up the environment and the tenant; the one measured runs alone.
  const build = await sharedBuild();
  const port = await freePort();
  // BENCH_API_NODE_FLAGS (e.g. --max-old-space-size=160) shows how much of the RSS is V8 heap slack.
  const api = spawn(process.execPath, [...(process.env.BENCH_API_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), join(build, 'src/app/main-api.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    api.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    api.once('exit', (code) => reject(new Error(`api exited ${code}`)));
  });
  const target = `http://127.0.0.1:${port}`;
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'p.png');
  const fileId = ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
  const variants: Record<string, (i: number) => string> = {
    'file_ id images': () => fileId,
    'https URL images (fetched when each item runs)': (i) => `https://cdn.example.com/products/${i}.jpg`,
  };
  const lines: string[] = [];
  try {
    for (const [name, image] of Object.entries(variants)) {
      for (let run = 0; run < RUNS; run++) {
        const jsonl = Array.from({ length: ITEMS }, (_, i) =>
          JSON.stringify({
            custom_id: `sku-${i}`,
            image: image(i),
            prompt: `Product ${i} turning slowly on a white table, soft light`,
            duration_seconds: 5,
            resolution: '480p',
            aspect_ratio: i % 2 ? '9:16' : '16:9',
            seed: i,
          }),
        ).join('\n');
        const body = new FormData();
        body.set('file', new Blob([jsonl], { type: 'application/jsonl' }), 'catalogue.jsonl');
        const before = memoryOf(api.pid!);
        const t0 = performance.now();
        const res = await fetch(`${target}/v1/batches`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
        const ms = performance.now() - t0;
        const after = memoryOf(api.pid!);
        const batch = (await res.json()) as { id: string; request_counts: { total: number } };
        if (res.status !== 202 || batch.request_counts.total !== ITEMS) throw new Error(`unexpected ${res.status}: ${JSON.stringify(batch).slice(0, 300)}`);
        const [{ n }] = await app.sql<{ n: number }>('select count(*)::int as n from videos where batch_id = $1', [batch.id]);
        lines.push(
          `${name}, run ${run + 1}: ${ITEMS} items (${(jsonl.length / 1e6).toFixed(1)} MB) accepted in ${ms.toFixed(0)} ms = ${Math.round((ITEMS / ms) * 1000)} items/s; ${n} rows written; api RSS ${before.rss.toFixed(0)} MB before, ${after.rss.toFixed(0)} MB after, peak so far ${after.peak.toFixed(0)} MB`,
        );
        // The next run must not be refused for this one's seconds.
        await app.request(`/v1/batches/${batch.id}/cancel`, { method: 'POST', key });
      }
    }
  } finally {
    api.kill('SIGTERM');
    await app.close();
  }
  console.info(`\n${lines.join('\n')}\n`);
});
