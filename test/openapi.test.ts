import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { validate } from '@readme/openapi-parser';
import { startTestApp, type TestApp } from './support/test-app.js';

const SPEC = 'openapi/openapi.json';
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
  it('matches the running app', async () => {
    const served = (await (await app.request('/openapi.json')).json()) as Record<string, unknown>;
    const text = `${JSON.stringify(served, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') await writeFile(SPEC, text);
    const committed = await readFile(SPEC, 'utf8').catch(() => '');
    expect(committed, 'openapi/openapi.json is stale: run `npm run openapi` and commit it').toBe(text);
  });

  it('is a valid OpenAPI 3 document', async () => {
    const spec = JSON.parse(await readFile(SPEC, 'utf8'));
    expect(spec.openapi).toMatch(/^3\./);
    const result = await validate(spec);
    expect(result.valid, JSON.stringify(result, null, 2)).toBe(true);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await app.request('/docs/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
