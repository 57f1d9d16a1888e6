import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validate } from '@readme/openapi-parser';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The operator spec: every operation (served to operator keys at /v1/admin/openapi.json). */
const SPEC = 'openapi/openapi.json';
/** The customers' spec: no operator operations (served to anyone at /openapi.json and in /docs). */
const PUBLIC_SPEC = 'openapi/public.json';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

/**
 * The committed spec is what clients generate from, so it must be exactly what the running app
 * serves. `npm run openapi` rewrites it (UPDATE_OPENAPI=1) after an endpoint change.
 */
describe('openapi/openapi.json', () => {
  it('matches the running app: the operator spec for operator keys only, the public one for anyone', async () => {
    const operatorRes = await app.request('/v1/admin/openapi.json', { key: app.operatorKey });
    expect(operatorRes.status).toBe(200);
    for (const [file, served] of [
      [SPEC, await operatorRes.json()],
      [PUBLIC_SPEC, await (await fetch(`${app.url}/openapi.json`)).json()],
    ] as const) {
      const text = `${JSON.stringify(served, null, 2)}\n`;
      if (process.env.UPDATE_OPENAPI === '1') await writeFile(file, text);
      const committed = await readFile(file, 'utf8').catch(() => '');
      expect(committed, `${file} is stale: run \`npm run openapi\` and commit it`).toBe(text);
    }
    expect((await fetch(`${app.url}/v1/admin/openapi.json`)).status).toBe(401);
    const { key } = await app.tenant();
    expect((await app.request('/v1/admin/openapi.json', { key })).status).toBe(403);
  });

  it('the public spec has every operation but the operator ones, and nothing only they use', async () => {
    const [operator, pub] = [JSON.parse(await readFile(SPEC, 'utf8')), JSON.parse(await readFile(PUBLIC_SPEC, 'utf8'))];
    const ops = (spec: any) =>
      Object.entries<Record<string, any>>(spec.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ id: `${method} ${path}`, op })));
    expect(ops(pub).map((o) => o.id)).toEqual(
      ops(operator)
        .filter((o) => !o.op['x-operator-only'])
        .map((o) => o.id),
    );
    expect(ops(pub).length).toBeGreaterThan(40);
    expect(JSON.stringify(pub)).not.toContain('/v1/admin/');
    expect(pub.tags.map((t: { name: string }) => t.name)).not.toContain('admin');
    expect(Object.keys(pub.components.schemas)).not.toContain('CreateTenantDto');
    expect(Object.keys(pub.components.schemas)).toContain('VideoObject');
  });

  it('both are valid OpenAPI 3 documents', async () => {
    for (const file of [SPEC, PUBLIC_SPEC]) {
      const spec = JSON.parse(await readFile(file, 'utf8'));
      expect(spec.openapi).toMatch(/^3\./);
      const result = await validate(spec);
      expect(result.valid, `${file}: ${JSON.stringify(result, null, 2)}`).toBe(true);
    }
  });

  it('both pass `redocly lint` (redocly.yaml) with zero errors', async () => {
    for (const file of [SPEC, PUBLIC_SPEC]) {
      const run = await promisify(execFile)('npx', ['redocly', 'lint', file, '--format=stylish'], { encoding: 'utf8' }).catch(
        (e: { stdout: string; stderr: string }) => e,
      );
      expect(`${run.stdout}\n${run.stderr}`, `${file}: fix the spec (usually a controller decorator), not the lint config`).toContain(
        'Your API description is valid',
      );
    }
  });

  /** Other modules add routes all the time: each must arrive documented, or this names it. */
  it('describes every operation, its path ids, and every problem code it can answer with', async () => {
    const spec = JSON.parse(await readFile(SPEC, 'utf8'));
    const problems: string[] = [];
    const catalogue = new Set<string>(spec.components.schemas.Problem.properties.code.enum);
    for (const [path, item] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, op] of Object.entries<Record<string, any>>(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (!op.summary || !op.description) problems.push(`${name}: add summary and description to @ApiOperation`);
        if (op.description && op.description === op.summary) problems.push(`${name}: the description repeats the summary`);
        for (const p of op.parameters ?? []) if (p.in === 'path' && !p.example) problems.push(`${name}: path parameter ${p.name} has no example`);
        for (const [status, r] of Object.entries<Record<string, any>>(op.responses)) {
          const response = r.$ref ? spec.components.responses[r.$ref.split('/').pop()] : r;
          if (!response.description) problems.push(`${name}: response ${status} has no description`);
          if (Number(status) >= 400) {
            const codes: string[] = response.content['application/problem+json'].schema.allOf[1].properties.code.enum;
            for (const c of codes) if (!catalogue.has(c)) problems.push(`${name}: ${c} is in no error catalogue`);
          }
        }
        if (!op.responses['500'] || !op.responses.default) problems.push(`${name}: no problem responses`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('orders tags for integrators (videos first, admin last) and documents what the conventions add', async () => {
    const spec = JSON.parse(await readFile(SPEC, 'utf8'));
    const tags: string[] = spec.tags.map((t: { name: string }) => t.name);
    expect(tags.slice(0, 3)).toEqual(['videos', 'files', ...(tags.includes('batches') ? ['batches'] : []), 'webhooks'].slice(0, 3));
    expect(tags.at(-1)).toBe('admin');
    expect(Object.values<Record<string, any>>(spec.paths)[0]!.post?.operationId).toBe('createVideo');
    expect(spec.servers.length).toBeGreaterThan(0);
    expect(spec.components.securitySchemes.bearer.bearerFormat).not.toBe('JWT');
    const create = spec.paths['/v1/videos'].post;
    const form = spec.components.schemas[create.requestBody.content['multipart/form-data'].schema.$ref.split('/').pop()];
    expect(form.properties.image).toMatchObject({ type: 'string', format: 'binary' });
    const tooMany = spec.components.responses[create.responses['429'].$ref.split('/').pop()];
    expect(tooMany.content['application/problem+json'].schema.allOf[1].properties.code.enum).toEqual(
      expect.arrayContaining(['rate_limited', 'quota_exceeded', 'queue_full']),
    );
    expect(Object.keys(tooMany.headers)).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit', 'Request-Id']));
    expect(Object.keys(create.responses['202'].headers)).toEqual(expect.arrayContaining(['Idempotent-Replayed', 'RateLimit', 'Request-Id']));
    expect(spec.paths['/v1/videos/{id}/events'].get.responses['200'].content).toHaveProperty(['text/event-stream']);
    expect(spec.paths['/v1/videos/{id}/content'].get.responses['302'].headers).toHaveProperty('Location');
    for (const path of ['/v1/admin/backends', '/v1/admin/miners']) expect(spec.paths[path].get['x-operator-roles']).toContain('admin');
    expect(Object.keys(spec['x-webhooks'])).toContain('video.succeeded');
  });

  /** @leoma/sdk's types (sdk/js/src/schema.ts) are generated from the committed spec (npm run openapi rewrites them too). */
  it('sdk/js/src/schema.ts is generated from it', async () => {
    const out = process.env.UPDATE_OPENAPI === '1' ? 'sdk/js/src/schema.ts' : join(await mkdtemp(join(tmpdir(), 'leoma-client-types-')), 'schema.ts');
    const script = JSON.parse(await readFile('package.json', 'utf8')).scripts['client:types'].replace('sdk/js/src/schema.ts', out);
    await promisify(execFile)('npx', script.split(' '), { encoding: 'utf8' });
    expect(await readFile('sdk/js/src/schema.ts', 'utf8'), 'sdk/js/src/schema.ts is stale: run `npm run openapi` and commit it').toBe(
      await readFile(out, 'utf8'),
    );
  });

  /** The back office's types (console/src/api/operator-schema.ts) come from the operator spec, which the SDK's public types leave out. */
  it('console/src/api/operator-schema.ts is generated from it', async () => {
    const target = 'console/src/api/operator-schema.ts';
    const out = process.env.UPDATE_OPENAPI === '1' ? target : join(await mkdtemp(join(tmpdir(), 'leoma-operator-types-')), 'operator-schema.ts');
    const script = JSON.parse(await readFile('package.json', 'utf8')).scripts['console:operator-types'].replace(target, out);
    await promisify(execFile)('npx', script.split(' '), { encoding: 'utf8' });
    expect(await readFile(target, 'utf8'), `${target} is stale: run \`npm run openapi\` and commit it`).toBe(await readFile(out, 'utf8'));
  });

  /** The Python SDK's TypedDicts too (sdk/python/gen_types.py, standard library, Debian's python3). */
  it('sdk/python/src/leoma/types.py is generated from it', async () => {
    const target = 'sdk/python/src/leoma/types.py';
    const out = process.env.UPDATE_OPENAPI === '1' ? target : join(await mkdtemp(join(tmpdir(), 'leoma-python-types-')), 'types.py');
    await promisify(execFile)('/usr/bin/python3', ['sdk/python/gen_types.py', PUBLIC_SPEC, out]);
    expect(await readFile(target, 'utf8'), `${target} is stale: run \`npm run openapi\` and commit it`).toBe(await readFile(out, 'utf8'));
  });

  it('serves Swagger UI ("Try it out") at /docs/try; the reference at /docs is test/app/docs-site.e2e.test.ts', async () => {
    const res = await app.request('/docs/try/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
