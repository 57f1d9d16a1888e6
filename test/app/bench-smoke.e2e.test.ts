import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refusal } from '../../bench/refusal.mjs';
import { sharedBuild } from '../support/shared-build.js';

/**
 * `npm run bench` in its smoke form (BENCH_SMOKE=1: one second per scenario, a few connections,
 * a handful of jobs and batch items), so the bench cannot rot unnoticed: it fails when a scenario
 * errors or answers anything but 2xx. It never looks at a timing. It runs the suite's shared
 * build instead of building again, and writes its results file to a temporary directory.
 */
const results = mkdtempSync(join(tmpdir(), 'leoma-bench-smoke-'));
afterAll(() => rmSync(results, { recursive: true, force: true }));

interface BenchResult {
  settings: { smoke: boolean };
  scenarios: { name: string; total: number; non2xx: number; errors: number; refused?: string }[];
  dispatch: { jobs: number };
  batch: { items: number; runs: unknown[] };
  rss_mb: { api: { idle: number; after: number } };
}

function runBench(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'bench'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run bench (smoke)', () => {
  it('runs every scenario end to end with a live key, each answering only 2xx', { timeout: 300_000 }, async () => {
    const { code, output } = await runBench({ BENCH_SMOKE: '1', BENCH_DIST: await sharedBuild(), BENCH_RESULTS_DIR: results });
    const why = output.split('\n').filter((l) => /REFUSED|bench failed|exited/.test(l));
    expect(code, `${why.join('\n')}\n${output.slice(-3000)}`).toBe(0);
    expect(output).toContain('with a live key');
    const files = readdirSync(results).filter((f) => f.endsWith('-smoke.json'));
    expect(files).toHaveLength(1);
    expect(readdirSync(results)).toContain(files[0]!.replace(/json$/, 'md'));
    const run = JSON.parse(readFileSync(join(results, files[0]!), 'utf8')) as BenchResult;
    expect(run.settings.smoke).toBe(true);
    expect(run.scenarios.map((s) => s.name)).toEqual(['live', 'me', 'poll', 'submit', 'submit-half', 'list', 'mixed']);
    for (const s of run.scenarios) {
      expect(s.refused, s.name).toBeUndefined();
      expect(s.total, s.name).toBeGreaterThan(0);
      expect(s.non2xx + s.errors, s.name).toBe(0);
    }
    expect(run.batch.runs.length).toBeGreaterThan(0);
    expect(run.rss_mb.api.after).toBeGreaterThan(0);
  });
});

describe('a scenario that measured refusals', () => {
  const row = { name: 'me', round: 1, scenario: 'GET /v1/me', total: 1000, non2xx: 0, errors: 0, rps: 500 };

  it('is reported when at most the allowed share failed', () => {
    expect(refusal({ ...row, non2xx: 10 }, 0.01)).toEqual({ ...row, non2xx: 10 });
  });

  it('is refused, its numbers dropped, past the allowed share or when nothing answered', () => {
    const refused = refusal({ ...row, non2xx: 8, errors: 3 }, 0.01);
    expect(refused).not.toHaveProperty('rps');
    expect(refused).toMatchObject({ refused: '11 of 1000 answers non-2xx or failed (1.1 %, at most 1 % allowed)' });
    expect(refusal({ ...row, non2xx: 1 }, 0)).toHaveProperty('refused');
    expect(refusal({ ...row, total: 0 }, 0.01)).toHaveProperty('refused');
  });
});
