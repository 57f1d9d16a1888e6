import { describe, expect, it } from 'vitest';
import { readDockerfile } from '../support/dockerfile.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * There is no Docker here, so the image is checked by reading it: the properties that matter in
 * production, each of which a careless edit could break. The entrypoint script is run for real.
 */
const { text: dockerfile, stages, runtime } = readDockerfile('Dockerfile');
const entrypoint = 'scripts/docker-entrypoint.sh';

describe('the Dockerfile', () => {
  it('builds in stages on the pinned Node LTS slim image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const nodeVersion = /^ARG NODE_VERSION=(\d+)\.\d+\.\d+$/m.exec(dockerfile)?.[1];
    expect(nodeVersion).toBe(readFileSync('.nvmrc', 'utf8').trim().split('.')[0]);
    for (const s of stages.filter((s) => s.from.startsWith('node:'))) expect(s.from).toMatch(/^node:\$\{NODE_VERSION\}-\w+-slim\b/);
    expect(runtime.from).toMatch(/-slim AS runtime$/);
    const build = stages.find((s) => / AS build$/.test(s.from))!;
    expect(build.body.some((i) => i.op === 'RUN' && i.args.includes('tsc -p tsconfig.build.json') && i.args.includes('npm prune --omit=dev'))).toBe(true);
    expect(stages[0]!.body.some((i) => i.op === 'RUN' && /npm ci\b/.test(i.args))).toBe(true);
  });

  it('ships ffmpeg/ffprobe, runs as a non-root user and takes only built output from the build stage', () => {
    expect(runtime.body.some((i) => i.op === 'RUN' && /apt-get install .*\bffmpeg\b/.test(i.args))).toBe(true);
    const user = runtime.body.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const copies = runtime.body.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies.filter((c) => c.includes('--from=build'))).toEqual([
      expect.stringMatching(/node_modules node_modules$/),
      expect.stringMatching(/dist dist$/),
    ]);
  });

  it('bakes in no secret and labels the image the OCI way', () => {
    for (const i of runtime.body.filter((i) => i.op === 'ENV' || i.op === 'ARG'))
      expect(i.args).not.toMatch(/SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL|_KEY\b/);
    for (const key of ['title', 'description', 'source', 'version', 'revision', 'created', 'licenses'])
      expect(dockerfile).toContain(`org.opencontainers.image.${key}=`);
    const ignore = readFileSync('.dockerignore', 'utf8').split('\n');
    for (const entry of ['.env', '.env.*', '**/node_modules', '.git', '.data']) expect(ignore).toContain(entry);
  });

  it('runs every role from one entrypoint (api by default) under tini', () => {
    expect(runtime.body.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["/usr/bin/tini", "--", "/usr/local/bin/leoma-entrypoint"]');
    expect(runtime.body.find((i) => i.op === 'CMD')?.args).toBe('["api"]');
    const script = readFileSync(entrypoint, 'utf8');
    // Each role's file exists in the build: dist/<path>.js comes from <path>.ts.
    for (const [role, path] of [...script.matchAll(/^\s*(\w+)\) (?:require_secret; )?exec node (?:--enable-source-maps )?dist\/(\S+)\.js/gm)].map((m) => [
      m[1]!,
      m[2]!,
    ])) {
      expect(existsSync(`${path}.ts`), `${role}: ${path}.ts`).toBe(true);
    }
    expect([...script.matchAll(/^\s*(\w+)\) /gm)].map((m) => m[1])).toEqual(['api', 'worker', 'migrate', 'cli']);
    execFileSync('sh', ['-n', entrypoint]);
  });

  it('makes the migrate role fail clearly, naming the Secret, when DATABASE_URL is missing', () => {
    const run = spawnSync('sh', [entrypoint, 'migrate'], { env: { PATH: process.env.PATH, LEOMA_SECRET_NAME: 'leoma-secrets' }, encoding: 'utf8' });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('DATABASE_URL is not set. Create the Secret leoma-secrets');
    // Any other first argument runs as a command (a shell in the container, for instance).
    expect(spawnSync('sh', [entrypoint, 'echo', 'hello'], { encoding: 'utf8' }).stdout).toBe('hello\n');
  });
});
