import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as sdk from '../../sdk/js/src/index.js';
import { type Io, runCli } from '../../sdk/cli/src/run.js';
import { describeBatch, describeVideo } from '../../sdk/cli/src/progress.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

/**
 * @leoma/cli (sdk/cli) against the real service, through @leoma/sdk's source: a video created and
 * waited for with progress lines and the MP4 downloaded, a CSV batch followed to its manifest, a
 * refusal with its code and request id; then the package as npm would pack it, installed from the
 * packed file in a fresh directory and run.
 */
let app: TestApp;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  [app, dir] = await Promise.all([startTestApp({ worker: true }), mkdtemp(join(tmpdir(), 'leoma-cli-'))]);
  await writeFile(join(dir, 'card.png'), makeImage('png', '64x36'));
  env = { LEOMA_API_URL: app.url, LEOMA_API_KEY: (await app.tenant()).key };
});
afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await runCli(args, env, io, sdk);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('@leoma/cli', () => {
  it('creates a video, shows its progress while waiting and downloads the MP4', async () => {
    const out = join(dir, 'card.mp4');
    const run = await cli('videos', 'create', '--image', join(dir, 'card.png'), '--prompt', 'a test card', '--duration', '1', '--wait', '--out', out);
    expect(run, run.err).toMatchObject({ code: 0 });
    const id = /vid_\w+/.exec(run.err)![0];
    expect(run.err).toContain(`${id} queued`);
    expect(run.out).toContain(`${id} succeeded`);
    expect(run.out).toContain(`saved to ${out}`);
    expect((await readFile(out)).subarray(4, 8).toString()).toBe('ftyp');

    const listed = await cli('videos', 'list', '--limit', '5', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out).map((v: { id: string }) => v.id)).toContain(id);
  }, 60_000);

  it('submits a CSV batch, follows it and writes the manifest in input order', async () => {
    const image = await createFile();
    const csv = join(dir, 'catalogue.csv');
    await writeFile(csv, `custom_id,image,prompt,duration_seconds\nsku-1,${image},first,1\nsku-2,${image},second,1\n`);
    const run = await cli('batches', 'submit', csv, '--wait');
    expect(run, run.err).toMatchObject({ code: 0 });
    expect(run.err).toMatch(/bat_\w+ \w+ · [█░]{20} \d\/2 done/);
    expect(run.out).toContain('2/2 done');
    const manifest = (await readFile(join(dir, 'catalogue.results.csv'), 'utf8')).trim().split('\n');
    expect(manifest).toHaveLength(3);
    expect(manifest.slice(1).map((row) => row.split(',')[0])).toEqual(['sku-1', 'sku-2']);
  }, 60_000);

  it('says what the API refused, with its code and request id, and what a usage mistake is', async () => {
    const missing = await cli('videos', 'get', 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/\(resource_not_found, HTTP 404, request req_\w+\)/);
    expect((await cli('videos', 'create', '--prompt', 'no image')).code).toBe(2);
    expect((await cli('videos', 'dance')).err).toContain('unknown command "videos dance"');
    const keyless = { code: 0, err: [] as string[] };
    keyless.code = await runCli(['videos', 'list'], {}, { out: () => {}, err: (t) => keyless.err.push(t) }, sdk);
    expect(keyless).toEqual({ code: 2, err: ['leoma: set LEOMA_API_KEY to your API key (lk_test_… or lk_live_…)'] });
  });

  it("shows a queued video's place in line and expected start, and a batch's ETA, when the server reports them", () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(describeVideo({ id: 'vid_1', status: 'queued', queue_position: 3, estimated_start_at: '2026-12-06T12:02:00Z' }, now)).toBe(
      'vid_1 queued · #3 in line · starts in 2 min',
    );
    expect(describeVideo({ id: 'vid_1', status: 'queued', queue_position: 1, estimated_start_at: '2026-12-06T12:00:40Z' }, now)).toBe(
      'vid_1 queued · next in line · starts in 40 s',
    );
    // A server without queueing (or a video that got a slot at once) says neither.
    expect(describeVideo({ id: 'vid_1', status: 'queued' }, now)).toBe('vid_1 queued');
    expect(describeVideo({ id: 'vid_1', status: 'running', started_at: '2026-12-06T11:59:48Z' }, now)).toBe('vid_1 running · for 12 s');
    const batch = {
      id: 'bat_1',
      status: 'in_progress',
      request_counts: { total: 10, queued: 4, running: 2, succeeded: 3, failed: 1, canceled: 0 },
      estimated_completion_at: '2026-12-06T12:05:00Z',
    };
    expect(describeBatch(batch, now)).toBe('bat_1 in_progress · ████████░░░░░░░░░░░░ 4/10 done · 1 failed · 4 queued · ETA in 5 min');
  });

  it('packs as npm would, and the packed file installs in a fresh directory and runs against the service', async () => {
    const run = promisify(execFile);
    await Promise.all([run('npm', ['run', 'build', '--prefix', 'sdk/cli']), run('npm', ['run', 'build', '--prefix', 'sdk/js'])]);
    const [pack] = JSON.parse((await run('npm', ['pack', '--dry-run', '--json', './sdk/cli'])).stdout);
    expect(pack.files.map((f: { path: string }) => f.path).sort()).toEqual(['LICENSE', 'README.md', 'dist/cli.js', 'package.json']);
    const pkg = JSON.parse(await readFile('sdk/cli/package.json', 'utf8'));
    const sdkPkg = JSON.parse(await readFile('sdk/js/package.json', 'utf8'));
    expect(pkg).toMatchObject({ name: '@leoma/cli', license: 'MIT', bin: { leoma: './dist/cli.js' }, dependencies: { '@leoma/sdk': `^${sdkPkg.version}` } });
    const bin = await readFile('sdk/cli/dist/cli.js', 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(bin).toMatch(/from ["']@leoma\/sdk["']/);
    expect(bin).not.toContain('function createLeomaClient');

    // As a customer installs it: the CLI's and the SDK's tarballs, the SDK's dependencies packed from
    // this repository's node_modules, installed offline in an empty directory; then its `leoma`.
    const consumer = join(dir, 'consumer');
    await run('mkdir', ['-p', consumer]);
    for (const from of ['sdk/cli', 'sdk/js', ...['openapi-fetch', 'openapi-typescript-helpers', 'eventsource-parser'].map((d) => join('node_modules', d))])
      await run('npm', ['pack', '--silent', '--pack-destination', consumer, `./${from}`]);
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const tarballs = (await run('bash', ['-c', 'ls *.tgz'], { cwd: consumer })).stdout.trim().split('\n');
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', ...tarballs.map((t) => `./${t}`)], { cwd: consumer });
    const listed = await run(join(consumer, 'node_modules/.bin/leoma'), ['videos', 'list', '--limit', '1', '--json'], {
      cwd: consumer,
      env: { ...process.env, ...env },
    });
    // The video the first test made, read back by the installed command.
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: expect.stringMatching(/^vid_/), object: 'video' })]);
  }, 120_000);
});

/** A start-frame upload the CSV rows name by id. */
async function createFile(): Promise<string> {
  const leoma = sdk.createLeomaClient({ baseUrl: app.url, apiKey: env.LEOMA_API_KEY! });
  return (await leoma.files.upload(makeImage('png', '64x36'), 'card.png')).id;
}
