import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ALL_TENANT_SCOPES } from '../../src/core/auth/principal.js';
import { OPERATOR_ROLES } from '../../src/operators/operator.entity.js';

/**
 * Access rules read from the committed OpenAPI spec, so a new route is covered the day it is
 * added: x-required-scopes on tenant routes, x-operator-only and x-operator-roles on admin ones.
 */
interface Route {
  method: string;
  path: string;
  scopes?: string[];
  operatorOnly?: boolean;
  roles?: string[];
}

const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as { paths: Record<string, Record<string, Record<string, any>>> };
const routes: Route[] = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    // Session-only routes (the signed-in person's own sessions) take no key at all: test/people covers them.
    .filter(([, op]) => op.security?.length && !op['x-session-only'])
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{[^}]+\}/g, 'x_1'),
      scopes: op['x-required-scopes'],
      operatorOnly: op['x-operator-only'],
      roles: op['x-operator-roles'],
    })),
);
const tenantRoutes = routes.filter((r) => !r.operatorOnly);
const adminRoutes = routes.filter((r) => r.operatorOnly);
// Readable by any key of the tenant: a key must be able to tell whose it is.
const SCOPELESS = new Set(['GET /v1/me']);

let app: TestApp;
const operatorKeys: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  for (const role of OPERATOR_ROLES) {
    const res = await app.request('/v1/admin/operators', { method: 'POST', key: app.operatorKey, json: { name: role, email: `${role}@leoma.test`, role } });
    operatorKeys[role] = ((await res.json()) as { secret: string }).secret;
  }
});
afterAll(() => app?.close());

const call = (r: Route, key: string) => app.request(r.path, { method: r.method, key, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { json: {} }) });

describe('the spec marks every route', () => {
  it('has tenant routes and admin routes, each tenant route with its scopes', () => {
    expect(tenantRoutes.length).toBeGreaterThan(10);
    expect(adminRoutes.length).toBeGreaterThan(10);
    const unscoped = tenantRoutes.filter((r) => !r.scopes?.length).map((r) => `${r.method} ${r.path}`);
    expect(unscoped).toEqual([...SCOPELESS]);
  });
});

describe.each(tenantRoutes.filter((r) => r.scopes?.length))('tenant route $method $path', (route) => {
  it('refuses a key without its scope (403 insufficient_scope) and an operator key', async () => {
    const { key } = await app.tenant({ scopes: ALL_TENANT_SCOPES.filter((s) => !route.scopes!.includes(s)) });
    const res = await call(route, key);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'insufficient_scope' });
    const op = await call(route, app.operatorKey);
    expect(op.status).toBe(403);
    expect(await op.json()).toMatchObject({ code: 'tenant_key_required' });
  });
});

describe.each(adminRoutes)('admin route $method $path', (route) => {
  it('refuses a tenant key with every scope (403) and operators outside its roles, and lets its roles in', async () => {
    const { key } = await app.tenant();
    const res = await call(route, key);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'operator_key_required' });
    for (const role of OPERATOR_ROLES.filter((r) => !(route.roles ?? ['admin']).includes(r))) {
      const denied = await call(route, operatorKeys[role]);
      expect(denied.status, role).toBe(403);
      expect(await denied.json()).toMatchObject({ code: 'insufficient_role' });
    }
    for (const role of route.roles ?? ['admin']) {
      const allowed = await call(route, operatorKeys[role]);
      expect(allowed.status, role).not.toBe(403);
    }
  });
});
