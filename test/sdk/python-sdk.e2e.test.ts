import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The Python SDK (sdk/python, standard library only) under Debian's python3: its pytest file
 * against the real api and worker (one tenant per test), and its source distribution built with
 * setuptools' own PEP 517 hook and installed from the packed file into a fresh venv, offline.
 */
const run = promisify(execFile);
const PY = '/usr/bin/python3';
const SDK = resolve('sdk/python');
let app: TestApp;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leoma-python-sdk-'));
  app = await startTestApp({ worker: true, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_INTERVAL_MS: '50' } });
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x3366cc:s=64x36', '-frames:v', '1', join(dir, 'card.png')]);
}, 60_000);
afterAll(() => app?.close());

describe('the Python SDK', () => {
  it('passes its pytest file against the running service', async () => {
    const names = ['basic', 'limited', 'lost', 'batch', 'webhook'];
    const keys = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, (await app.tenant(name === 'limited' ? { key: { rate_limit_per_minute: 60 } } : {})).key] as const)),
    );
    const { stdout } = await run(PY, ['-m', 'pytest', 'tests', '-q', '-p', 'no:cacheprovider', '-rfE'], {
      cwd: SDK,
      env: {
        ...process.env,
        PYTHONPATH: 'src',
        PYTHONDONTWRITEBYTECODE: '1',
        LEOMA_API_URL: app.url,
        LEOMA_KEYS: JSON.stringify(keys),
        LEOMA_PNG: join(dir, 'card.png'),
      },
      timeout: 180_000,
    }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`pytest failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    });
    expect(stdout).not.toMatch(/\d+ (failed|error)/);
    expect(Number(/(\d+) passed/.exec(stdout)?.[1] ?? 0)).toBe(6);
  }, 200_000);

  it('builds a source distribution that installs from the packed file into a fresh venv, offline', async () => {
    const out = join(dir, 'dist');
    await run(PY, ['-c', `from setuptools import build_meta; print(build_meta.build_sdist(${JSON.stringify(out)}))`], {
      cwd: SDK,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    const sdist = join(out, 'leoma-0.1.0.tar.gz');
    const { stdout: listing } = await run('tar', ['-tzf', sdist]);
    const files = listing.trim().split('\n');
    for (const file of ['PKG-INFO', 'pyproject.toml', 'README.md', 'LICENSE', 'src/leoma/__init__.py', 'src/leoma/types.py', 'src/leoma/py.typed']) {
      expect(files).toContain(`leoma-0.1.0/${file}`);
    }
    // A venv that sees Debian's setuptools (to build the sdist) but installs nothing from an index.
    await run(PY, ['-m', 'venv', '--system-site-packages', join(dir, 'venv')]);
    const python = join(dir, 'venv/bin/python');
    await run(python, ['-m', 'pip', 'install', '--no-index', '--no-build-isolation', '--quiet', sdist], { cwd: dir, timeout: 120_000 });
    const { stdout } = await run(python, ['-c', 'import leoma, leoma.types; print(leoma.__file__); print(leoma.API_VERSION)'], { cwd: dir });
    const [file, version] = stdout.trim().split('\n');
    expect(file).toContain(join(dir, 'venv'));
    expect(version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }, 180_000);
});
