import type { Request, Response } from 'express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { healthDocs } from './health.docs.js';

export const LIVENESS_PATH = '/health/live';

/** Serialised once: every probe gets the same bytes. */
const BODY = Buffer.from(JSON.stringify({ status: 'ok' }));
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(BODY.length), 'cache-control': 'no-store' };

/**
 * `GET /health/live`, answered by the HTTP app's first route, ahead of every middleware (metrics,
 * request id, access log), guard and interceptor (issue 36): a liveness probe only asks whether the
 * event loop answers, and the kubelet asks every few seconds on every replica. Anything placed in
 * front of it is paid by every probe and, worse, can make the probe fail for a reason that is not
 * "this process is stuck" — test/videos/submit-round-trips.e2e.test.ts counts what runs before it.
 * It is the path's only route: a controller route for it would sit unreachable behind this one
 * while every other request that reaches Nest's routes tests it (test/platform/request-path.e2e.test.ts).
 */
export function answerLiveness(_req: Request, res: Response): void {
  res.writeHead(200, HEADERS).end(BODY);
}

/**
 * `GET /health/live` as the OpenAPI document lists it. Swagger finds operations by scanning
 * controllers, and this route is not a controller's, so createApiApp hands this to the document:
 * what Swagger made of the controller method it replaced, keys in Swagger's (sorted) order; the
 * rest (security, problem responses, headers) the document adds to every operation alike. A new
 * object each call: building the document settles operations in place (it turns `x-public` into
 * `security: []`), and a process may build it more than once (every app a test file starts).
 */
export function livenessPathItem(): OpenAPIObject['paths'][string] {
  return { get: livenessOperation() };
}

function livenessOperation() {
  const { description, operationId, summary } = healthDocs.healthLive;
  // @Public()'s mark, which the document turns into `security: []` as for every public route.
  return { description, operationId, parameters: [], responses: { '200': { description: '' } }, summary, tags: ['health'], 'x-public': true };
}
