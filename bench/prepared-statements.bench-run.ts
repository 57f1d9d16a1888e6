import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { inject, it } from 'vitest';
import pg from 'pg';
import { startTestApp } from '../test/support/test-app.js';
import { startPgBouncer } from '../tools/dev/pgbouncer.js';
import { createVideo } from '../test/support/test-app.js';
import { dataUri, makeImage } from '../test/support/images.js';
import { VIDEO_COLUMNS } from '../src/videos/video-rows.js';

const SLICES = Number(process.env.BENCH_SLICES ?? 6);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 20);
const POOL = 10;
const SQL = `select ${VIDEO_COLUMNS} from videos where id = $1 and tenant_id = $2 and livemode = $3 and deleted_at is null`;

type Variant = { label: string; pool: pg.Pool; named: boolean };

/**
 * The poll's read (VideosService.get, the hottest query) on pg's pool as the API runs it, with and
 * without a statement name: named statements are parsed and planned once per connection, unnamed
 * ones on every call (what works behind PgBouncer 1.18 in transaction mode). Also unnamed through
 * PgBouncer itself. Variants alternate in slices of BENCH_SLICE_MS (the machine is shared, so only
 * numbers taken side by side compare); each slice runs BENCH_CONNECTIONS callers in a loop.
 * Writes bench/results/<time>-prepared-statements.{json,md}. Run with
 * `npx vitest run --config bench/vitest.config.ts bench/prepared-statements.bench-run.ts`.
 */
it('named vs unnamed prepared statements on the poll read', async () => {
  const app = await startTestApp({ worker: true });
  const bouncer = await startPgBouncer({ serverUrl: inject('pgUrl'), poolSize: POOL });
  try {
    const { key, tenantId } = await app.tenant();
    const id = await createVideo(app, key, dataUri(makeImage('png')));
    const variants: Variant[] = [
      { label: 'named (direct)', pool: new pg.Pool({ connectionString: app.db.url, max: POOL }), named: true },
      { label: 'unnamed (direct)', pool: new pg.Pool({ connectionString: app.db.url, max: POOL }), named: false },
      { label: 'unnamed (PgBouncer 1.18, transaction mode)', pool: new pg.Pool({ connectionString: bouncer.via(app.db.url), max: POOL }), named: false },
    ];
    const stats = new Map(variants.map((v) => [v.label, { calls: 0, ms: 0, cpuUs: 0, latencies: [] as number[] }]));
    const call = (v: Variant) =>
      v.pool.query(v.named ? { name: 'video_get_mode', text: SQL, values: [id, tenantId, true] } : { text: SQL, values: [id, tenantId, true] });
    for (const v of variants) for (let i = 0; i < 200; i++) await call(v); // warm-up: connections open, statements prepared
    for (let s = 0; s < SLICES; s++) {
      for (const v of variants) {
        const st = stats.get(v.label)!;
        const end = performance.now() + SLICE_MS;
        const cpu = process.cpuUsage();
        const began = performance.now();
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (performance.now() < end) {
              const t = performance.now();
              await call(v);
              st.latencies.push(performance.now() - t);
              st.calls++;
            }
          }),
        );
        st.ms += performance.now() - began;
        const used = process.cpuUsage(cpu);
        st.cpuUs += used.user + used.system;
      }
    }
    await Promise.all(variants.map((v) => v.pool.end()));
    const rows = variants.map((v) => {
      const st = stats.get(v.label)!;
      const sorted = st.latencies.sort((a, b) => a - b);
      return {
        variant: v.label,
        calls: st.calls,
        per_second: Math.round((st.calls / st.ms) * 1000),
        p50_ms: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(2)),
        p99_ms: Number(sorted[Math.floor(sorted.length * 0.99)]!.toFixed(2)),
        client_cpu_us_per_call: Math.round(st.cpuUs / st.calls),
      };
    });
    const machine = { cores: cpus().length, cpu: cpus()[0]?.model, load: loadavg().map((l) => Number(l.toFixed(1))) };
    const at = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = join(process.cwd(), 'bench/results');
    await mkdir(dir, { recursive: true });
    const settings = { slices: SLICES, slice_ms: SLICE_MS, concurrency: CONCURRENCY, pool: POOL };
    await writeFile(join(dir, `${at}-prepared-statements.json`), `${JSON.stringify({ machine, settings, rows }, null, 2)}\n`);
    const md = [
      `# Poll read: named vs unnamed prepared statements (${at})`,
      '',
      `Machine: ${machine.cores} cores, ${machine.cpu}, load ${machine.load.join(' ')}. ${SLICES} alternating slices of ${SLICE_MS} ms per variant, ${CONCURRENCY} callers, pool of ${POOL}.`,
      '',
      '| variant | calls/s | p50 ms | p99 ms | client CPU µs/call |',
      '| --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.variant} | ${r.per_second} | ${r.p50_ms} | ${r.p99_ms} | ${r.client_cpu_us_per_call} |`),
      '',
    ].join('\n');
    await writeFile(join(dir, `${at}-prepared-statements.md`), md);
    console.log(md);
  } finally {
    await bouncer.stop();
    await app.close();
  }
});
