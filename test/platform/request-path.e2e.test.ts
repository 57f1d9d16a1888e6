import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogDestination } from '../../src/platform/logging/log-destination.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/**
 * What every request passes through before its handler (issue 36: that path is what GET /v1/me
 * costs beyond the bare framework), pinned where it is visible: the routes Express tests and the
 * access line each request leaves.
 */
const raw: string[] = [];
let app: TestApp;

beforeAll(async () => {
  setLogDestination(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        raw.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    }),
  );
  app = await startTestApp({ logger: ['log'], env: { LOG_FORMAT: 'json' } });
});
afterAll(async () => {
  await app?.close();
  setLogDestination(undefined);
});

type Layer = { route?: { path: unknown } };
const stackOf = (app: TestApp) => (app.api.getHttpAdapter().getInstance() as unknown as { router: { stack: Layer[] } }).router.stack;

describe('GET /health/live', () => {
  it('has one route (liveness.ts, ahead of everything), and the document still describes it', async () => {
    // HealthController registered it too, further down, where no request reached it but every
    // request routed past it was tested against it.
    expect(stackOf(app).filter((layer) => layer.route?.path === '/health/live')).toHaveLength(1);
    const res = await app.request('/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    const spec = (await (await fetch(`${app.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(spec.paths['/health/live']!.get).toMatchObject({ operationId: 'healthLive', tags: ['health'], security: [] });
  });
});

describe('the access log', () => {
  it('writes one line per request routed to Nest, fields in this order, and none for probes and scrapes', async () => {
    const { key, tenantId } = await app.tenant();
    const me = await app.request('/v1/me', { key });
    const missing = await app.request('/v1/no-such-route', { key });
    await app.request('/health/ready');
    await app.request('/health/live', { method: 'POST' });
    await app.request('/metrics');
    expect([me.status, missing.status]).toEqual([200, 404]);
    const access = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request completed');
    await until('the access lines', async () => access().some((l) => l.request_id === missing.headers.get('request-id')));
    const line = access().find((l) => l.request_id === me.headers.get('request-id'));
    expect(Object.keys(line!)).toEqual(['level', 'time', 'role', 'request_id', 'method', 'route', 'status', 'duration_ms', 'tenant_id', 'msg']);
    expect(line).toMatchObject({
      level: 'info',
      role: 'api',
      method: 'GET',
      route: '/v1/me',
      status: 200,
      tenant_id: tenantId,
      duration_ms: expect.any(Number),
    });
    // A path no route has: the line names no route and, authentication never having run, no tenant.
    expect(access().find((l) => l.request_id === missing.headers.get('request-id'))).toMatchObject({ route: 'unmatched', status: 404 });
    expect(access().filter((l) => /^\/(health|metrics)/.test(String(l.route)) || l.route === 'unmatched')).toHaveLength(1);
    expect(access().filter((l) => l.request_id === me.headers.get('request-id'))).toHaveLength(1);
  });
});
