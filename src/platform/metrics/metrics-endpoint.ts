import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appEnv } from '../config/app.env.js';
import { renderMetrics } from './registry.js';
import { problemBody } from '../http/problem.js';

function authorized(req: IncomingMessage): boolean {
  const token = appEnv.get().METRICS_TOKEN;
  if (!token) return true;
  const given = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** GET /metrics in Prometheus text format, for the API's Express app and the worker's health server alike. */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!authorized(req)) {
    res.writeHead(401, { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' });
    res.end(JSON.stringify(problemBody(401, 'authentication_required', 'GET /metrics needs the METRICS_TOKEN as a Bearer token.')));
    return;
  }
  try {
    const { contentType, body } = await renderMetrics();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(body);
  } catch (e) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`metrics collection failed: ${(e as Error).message}\n`);
  }
}
