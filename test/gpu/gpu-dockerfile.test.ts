import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readDockerfile } from '../support/dockerfile.js';

/**
 * The GPU image cannot be built here (no Docker, no GPU, no PyPI): its properties are checked by
 * reading gpu/Dockerfile, as test/app/dockerfile.test.ts does for the API image. The entrypoint runs for real.
 */
const { text: dockerfile, instructions, stages, runtime } = readDockerfile('gpu/Dockerfile');
const arg = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(dockerfile)?.[1];
const requirements = readFileSync('gpu/worker/requirements.txt', 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const entrypoint = readFileSync('gpu/docker-entrypoint.sh', 'utf8');

describe('the GPU image (gpu/Dockerfile)', () => {
  it("runs on the CUDA 12.4 runtime with Python 3.12 and the validators' pinned stack", () => {
    expect(arg('CUDA_IMAGE')).toMatch(/^nvidia\/cuda:12\.4\.\d+-(cudnn-)?runtime-ubuntu\d+\.\d+$/);
    expect(runtime.from).toBe('${CUDA_IMAGE} AS runtime');
    expect(runtime.body.some((i) => i.op === 'RUN' && /apt-get install .*\bpython3\.12\b/.test(i.args))).toBe(true);
    const python = stages.find((s) => / AS python$/.test(s.from))!;
    expect(
      python.body.some(
        (i) =>
          i.op === 'RUN' &&
          i.args.includes('python3.12 -m venv /opt/venv') &&
          i.args.includes('-r /tmp/requirements.txt') &&
          i.args.includes('download.pytorch.org/whl/cu124'),
      ),
    ).toBe(true);
    // Every requirement is pinned exactly: the image serves what was judged, not what is newest.
    for (const line of requirements) expect(line, line).toMatch(/^[A-Za-z0-9_.-]+==\d[\w.]*$/);
    const pins = Object.fromEntries(requirements.map((l) => l.split('==') as [string, string]));
    expect(pins).toMatchObject({ torch: '2.6.0', diffusers: '0.35.2', transformers: '5.14.1', accelerate: '1.10.1', safetensors: expect.any(String) });
    expect(runtime.body.find((i) => i.op === 'ENV' && i.args.includes('CUBLAS_WORKSPACE_CONFIG'))?.args).toContain('CUBLAS_WORKSPACE_CONFIG=:4096:8');
  });

  it('runs the server on the pinned Node 24, from compiled output only, with ffmpeg', () => {
    expect(arg('NODE_VERSION')).toBe(readFileSync('.nvmrc', 'utf8').trim());
    expect(stages[0]!.from).toBe('node:${NODE_VERSION}-bookworm-slim AS server');
    const copies = runtime.body.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=server /usr/local/bin/node /usr/local/bin/node');
    expect(copies.filter((c) => c.includes('--from=server') && c.includes('/app/'))).toEqual([
      expect.stringMatching(/node_modules node_modules$/),
      expect.stringMatching(/dist dist$/),
    ]);
    expect(runtime.body.some((i) => i.op === 'RUN' && /apt-get install .*\bffmpeg\b/.test(i.args))).toBe(true);
    const build = stages[0]!.body;
    expect(build.some((i) => i.op === 'RUN' && i.args.includes('tsc -p gpu/tsconfig.json') && i.args.includes('npm prune --omit=dev'))).toBe(true);
  });

  it('copies only what exists, and the build config compiles on its own', async () => {
    for (const stage of stages) {
      for (const copy of stage.body.filter((i) => i.op === 'COPY' && !i.args.includes('--from='))) {
        const sources = copy.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1);
        for (const source of sources) expect(existsSync(source), source).toBe(true);
      }
    }
    await promisify(execFile)('npx', ['tsc', '-p', 'gpu/tsconfig.json', '--noEmit']);
  }, 120_000);

  it('runs as a non-root user with the weight cache on a volume, and bakes in no secret', () => {
    const user = runtime.body.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const volume = runtime.body.find((i) => i.op === 'VOLUME')?.args;
    expect(volume).toBe('["/var/cache/leoma/weights"]');
    expect(entrypoint).toContain('--cache-dir /var/cache/leoma/weights');
    expect(runtime.body.some((i) => i.op === 'RUN' && i.args.includes('chown leoma:leoma /var/cache/leoma/weights'))).toBe(true);
    for (const i of instructions.filter((i) => i.op === 'ENV' || i.op === 'ARG')) expect(i.args).not.toMatch(/SECRET|PASSWORD|TOKEN=|_KEY\b/);
    for (const key of ['title', 'description', 'source', 'version', 'revision', 'created', 'licenses'])
      expect(dockerfile).toContain(`org.opencontainers.image.${key}=`);
  });

  it('serves by default under tini, with a bench role, and runs anything else as a command', () => {
    expect(runtime.body.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["/usr/bin/tini", "--", "/usr/local/bin/leoma-gpu"]');
    expect(runtime.body.find((i) => i.op === 'CMD')?.args).toBe('["serve"]');
    for (const m of entrypoint.matchAll(/dist\/(\S+)\.js/g)) expect(existsSync(`${m[1]}.ts`), m[1]).toBe(true);
    expect(entrypoint).toContain('--renderer wan2.2');
    expect(entrypoint).toContain('--python /opt/venv/bin/python');
    expect(entrypoint).toMatch(/bench\)[\s\S]*--bench "\$n"/);
    expect(spawnSync('sh', ['gpu/docker-entrypoint.sh', 'echo', 'hello'], { encoding: 'utf8' }).stdout).toBe('hello\n');
    expect(spawnSync('sh', ['-n', 'gpu/docker-entrypoint.sh']).status).toBe(0);
  });
});
