import type { Request, Response } from 'express';

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
 * The operation in the OpenAPI document is still HealthController's.
 */
export function answerLiveness(_req: Request, res: Response): void {
  res.writeHead(200, HEADERS).end(BODY);
}
