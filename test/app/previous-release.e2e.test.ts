import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { transformFile } from '@swc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideo, startTestApp, type TestApp } from '../support/test-app.js';
import { spawnBuilt, type BuiltProcess } from '../support/shared-build.js';
import { freePort } from '../../tools/dev/free-port.js';
import { previousRelease } from '../../tools/migration-lint/migration-sources.js';
import { dataUri, makeImage } from '../support/images.js';
import { productionTreeDifference } from '../support/lock-tree.js';

const ROOT = resolve(import.meta.dirname, '../..');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Migrations run before the rollout, while the previous release still serves: its API and worker
 * must keep working on the new schema. The previous release is the commit in
 * migrations/previous-release.json (docs/migrations.md). Its src/ and migrations/ are exported with
 * `git archive` into a temporary directory (CI clones with full history), transpiled file by file
 * with SWC as the test suite runs this checkout (a type check would cost a minute of CPU for code
 * already checked when it was released), and run as processes with this
 * checkout's node_modules when every package its lock file installs for production resolves here to
 * the same version (test/support/lock-tree.ts: this checkout may add packages and hoist
 * differently), else with its own production install from its lock file. The database
 * is migrated by *this* checkout; a new API in this process shares it, as during a rollout.
 */
describe('the previous release on the new schema', () => {
  let dir: string;
  let app: TestApp;
  const processes: BuiltProcess[] = [];
  let oldApi = '';

  beforeAll(async () => {
    const { commit } = previousRelease();
    dir = await mkdtemp(join(tmpdir(), 'leoma-previous-release-'));
    try {
      execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      throw new Error(`the previous release ${commit} is not in this clone: fetch with full history (git fetch --unshallow)`);
    }
    execFileSync('bash', ['-c', `git archive --format=tar ${commit} src migrations package.json | tar -x -C "${dir}"`], { cwd: ROOT, stdio: 'pipe' });
    const lock = execFileSync('git', ['show', `${commit}:package-lock.json`], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    // npm's record of what this checkout has installed, as its lock file's format.
    const installed = JSON.parse(await readFile(join(ROOT, 'node_modules', '.package-lock.json'), 'utf8'));
    if (productionTreeDifference(JSON.parse(lock.toString()), installed) === null) await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    else {
      // Some package it depends on is installed here at another version: install its own production ones from its lock file.
      await writeFile(join(dir, 'package-lock.json'), lock);
      execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'pipe' });
    }
    await transpile(dir, ['src', 'migrations']);
    app = await startTestApp({ worker: false, env: { VIDEO_RETRY_DELAY_MS: '50' } });
    const port = await freePort();
    const build = join(dir, 'dist');
    processes.push(await spawnBuilt(build, 'src/app/main-worker.js', 'leoma worker started', { WORKER_HEALTH_PORT: String(await freePort()) }));
    processes.push(await spawnBuilt(build, 'src/app/main-api.js', 'leoma api listening', { PORT: String(port), HOST: '127.0.0.1' }));
    oldApi = `http://127.0.0.1:${port}`;
  }, 300_000);

  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const old = (path: string, key: string, init: RequestInit & { json?: unknown } = {}) =>
    fetch(oldApi + path, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.json === undefined ? init.body : JSON.stringify(init.json),
    });

  it('its API provisions, accepts and answers; its worker completes videos from both releases', async () => {
    const tenant = await old('/v1/admin/tenants', app.operatorKey, { method: 'POST', json: { name: 'Old release', plan: 'enterprise' } });
    expect(tenant.status, await tenant.clone().text()).toBe(201);
    const { id: tenantId } = (await tenant.json()) as { id: string };
    const keyRes = await old(`/v1/admin/tenants/${tenantId}/api-keys`, app.operatorKey, { method: 'POST', json: { mode: 'live' } });
    expect(keyRes.status).toBe(201);
    const { secret: key } = (await keyRes.json()) as { secret: string };
    const image = dataUri(makeImage('png'));
    const submitted = await old('/v1/videos', key, { method: 'POST', json: { prompt: 'p', image, duration_seconds: 1 } });
    expect(submitted.status, await submitted.clone().text()).toBe(202);
    const { id: fromOld } = (await submitted.json()) as { id: string };
    // The new release's API, on the same database and queue, during the rollout.
    const fromNew = await createVideo(app, key, image);
    for (const id of [fromOld, fromNew]) {
      let body: Record<string, any> = {};
      for (let i = 0; i < 600 && !['succeeded', 'failed'].includes(body.status); i++) {
        const res = await old(`/v1/videos/${id}`, key);
        expect(res.status).toBe(200);
        body = (await res.json()) as Record<string, any>;
        if (body.status !== 'succeeded') await pause(100);
      }
      expect(body).toMatchObject({ id, status: 'succeeded' });
      const again = (await (await app.request(`/v1/videos/${id}`, { key })).json()) as Record<string, any>;
      expect(again).toMatchObject({ id, status: 'succeeded' });
    }
    const list = (await (await old('/v1/videos?limit=10', key)).json()) as { data: { id: string }[] };
    expect(list.data.map((v) => v.id).sort()).toEqual([fromOld, fromNew].sort());
    const content = await old(`/v1/videos/${fromOld}/content`, key, { redirect: 'manual' });
    expect(content.status).toBe(302);
  }, 120_000);
});

/** Every .ts file under `folders` of `root` to `root/dist/<same path>.js`, with decorator metadata (Nest's injection needs it). */
async function transpile(root: string, folders: string[]): Promise<void> {
  const files = (await Promise.all(folders.map(async (folder) => (await readdir(join(root, folder), { recursive: true })).map((f) => join(folder, f))))).flat();
  // SWC transforms on its own threads: all at once uses every core.
  await Promise.all(
    files
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map(async (file) => {
        const { code } = await transformFile(join(root, file), {
          swcrc: false,
          module: { type: 'es6' },
          jsc: {
            target: 'es2023',
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
            keepClassNames: true,
          },
        });
        const out = join(root, 'dist', file.replace(/\.ts$/, '.js'));
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, code);
      }),
  );
}
