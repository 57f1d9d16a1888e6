import type { NextFunction, Request, Response } from 'express';
import { corsEnv, originList } from './cors.env.js';

/** Response headers browser code needs to read: the ones @leoma/sdk reads (request id, limits, retry, replay, version) and download names. */
export const CORS_EXPOSED_HEADERS = [
  'Request-Id',
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'Idempotent-Replayed',
  'Leoma-Version',
  'Content-Disposition',
];
/** Request headers a browser may send beyond the CORS-safelisted ones. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'Leoma-Version', 'Last-Event-ID'];
const METHODS = 'GET, POST, PATCH, PUT, DELETE';

/**
 * CORS for the customer API (/v1 and /openapi.json) from CORS_ALLOWED_ORIGINS. The operator API and
 * the console are same-origin only and get no CORS headers. `Access-Control-Allow-Credentials` is
 * never sent: keys go in `Authorization`, so a cross-origin page cannot ride on a console session's
 * cookie, and `*` stays safe. A preflight is answered here (204), before authentication, since a
 * browser sends it without the key.
 */
export function corsMiddleware(): (req: Request, res: Response, next: NextFunction) => void {
  const { CORS_ALLOWED_ORIGINS, CORS_MAX_AGE_SECONDS: maxAge } = corsEnv.get();
  const allowed = originList(CORS_ALLOWED_ORIGINS);
  const any = allowed.includes('*');
  const listed = new Set(allowed);
  return (req, res, next) => {
    const origin = req.headers.origin;
    const inScope = (req.path.startsWith('/v1/') && !req.path.startsWith('/v1/admin/')) || req.path === '/openapi.json';
    if (!origin || !inScope || allowed.length === 0) return next();
    // The answer differs by Origin when a list decides it: caches must key on it.
    if (!any) res.vary('Origin');
    const ok = any || listed.has(origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
    }
    if (!preflight) return next();
    if (ok) {
      res.setHeader('Access-Control-Allow-Methods', METHODS);
      res.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(', '));
      res.setHeader('Access-Control-Max-Age', String(maxAge));
    }
    // A refused origin gets the same 204 without the headers: the browser then blocks the request.
    res.status(204).end();
  };
}
