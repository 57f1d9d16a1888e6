import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDockerfile } from '../support/dockerfile.js';
import { PRODUCTION_NODE_FLAGS } from '../../tools/dev/production-node-flags.js';

// Issue 36 item 5: dev, the start scripts and the bench run the api and the worker with the V8
// flags the image runs them with, so memory measured anywhere is production's.
const flags = PRODUCTION_NODE_FLAGS.join(' ');

describe('the V8 flags of the api and the worker', () => {
  it('are the image’s NODE_OPTIONS', () => {
    const { runtime } = readDockerfile('Dockerfile');
    const env = runtime.body.filter((i) => i.op === 'ENV').map((i) => i.args);
    expect(env).toContain(`NODE_OPTIONS=${flags}`);
  });

  it('are what the start scripts, npm run dev and the bench pass', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:api']).toBe(`node ${flags} dist/src/app/main-api.js`);
    expect(scripts['start:worker']).toBe(`node ${flags} dist/src/app/main-worker.js`);
    expect(readFileSync('tools/dev/dev.ts', 'utf8')).toMatch(/spawn\(process\.execPath, \[\.\.\.PRODUCTION_NODE_FLAGS,/);
    expect(readFileSync('bench/run.mjs', 'utf8')).toContain(`process.env.BENCH_NODE_FLAGS ?? '${flags}'`);
  });
});
