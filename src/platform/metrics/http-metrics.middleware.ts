import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram } from 'prom-client';
import { metricsRegistry } from './registry.js';
import { routeTemplate } from '../http/route-template.js';

/** Rate (`_count`), errors (`status` 5xx) and latency of every request, by route template. */
const httpDuration = new Histogram({
  name: 'leoma_http_request_duration_seconds',
  help: 'HTTP requests by method, route template and status: rate from _count, errors from status, latency from the buckets.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const START = Symbol('leoma.start');
type TimedResponse = ServerResponse & { [START]: number };

/**
 * Children by route → method → status, so the hot path skips prom-client's label hashing and
 * allocates nothing once a combination has been seen (the set is bounded: routes × methods × statuses).
 */
const children = new Map<string, Map<string, Map<number, Histogram.Internal<'method' | 'route' | 'status'>>>>();

function child(method: string, route: string, status: number): Histogram.Internal<'method' | 'route' | 'status'> {
  let byMethod = children.get(route);
  if (!byMethod) children.set(route, (byMethod = new Map()));
  let byStatus = byMethod.get(method);
  if (!byStatus) byMethod.set(method, (byStatus = new Map()));
  let c = byStatus.get(status);
  if (!c) byStatus.set(status, (c = httpDuration.labels({ method, route, status: String(status) })));
  return c;
}

/** A shared listener (no closure per request): the start time rides on the response. */
function onFinish(this: TimedResponse): void {
  const req = this.req as IncomingMessage;
  const method = METHODS.has(req.method!) ? req.method! : 'OTHER';
  child(method, routeTemplate(req), this.statusCode).observe((performance.now() - this[START]) / 1000);
}

export function httpMetricsMiddleware(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  (res as TimedResponse)[START] = performance.now();
  res.on('finish', onFinish);
  next();
}
