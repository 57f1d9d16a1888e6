import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { PinoLogger } from 'nestjs-pino';
import { routeTemplate } from '../http/route-template.js';

/** Statuses that say a dependency is unavailable (timeouts included) rather than that we failed. */
const UNAVAILABLE = new Set([502, 503, 504]);

/** Probes and scrapes, any method: the busiest paths, and nothing a log reader needs. */
const UNLOGGED = /^\/(?:health\/live|health\/ready|metrics)\/?$/i;

type Req = IncomingMessage & { requestId?: string; user?: { kind: string; tenantId?: string }; originalUrl?: string };

const ACCESS = Symbol('leoma.accessLog');
type Logged = ServerResponse & { [ACCESS]?: { log: Logger; req: Req; startedAt: number } };

/**
 * One access line per request when it ends (method, route template, status, duration, request id,
 * tenant id), and every log made while serving it carries the request id. What pino-http did
 * through nestjs-pino's two middlewares, in one plain Express middleware (issue 36): those ran
 * behind Nest's per-request exclusion check and built two child loggers per request, of which
 * one was never used. The lines are the same: pino-http's shape (its `request_id` binding, level
 * choice, success and error objects, messages), written by the same root logger.
 *
 * `context` is nestjs-pino's logger: its `runInContext` is the request-scoped context its own
 * middleware opened, so `Logger` calls made while serving the request carry the id.
 */
export function accessLogMiddleware(context: PinoLogger): (req: Req, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const url = req.originalUrl ?? req.url ?? '';
    const query = url.indexOf('?');
    if (UNLOGGED.test(query < 0 ? url : url.slice(0, query))) return next();
    context.runInContext(
      () => {
        (res as Logged)[ACCESS] = { log: context.logger as unknown as Logger, req, startedAt: Date.now() };
        res.on('close', onEnd);
        res.on('finish', onEnd);
        res.on('error', onEnd);
        next();
      },
      { bindings: { request_id: req.requestId ?? 'unknown' } },
    );
  };
}

/** Shared by every response (no closure per request); the first of finish, close and error logs. */
function onEnd(this: Logged, err?: Error): void {
  this.removeListener('close', onEnd);
  this.removeListener('finish', onEnd);
  this.removeListener('error', onEnd);
  const access = this[ACCESS];
  if (!access) return;
  this[ACCESS] = undefined;
  const { log, req, startedAt } = access;
  const duration_ms = Date.now() - startedAt;
  const status = this.statusCode;
  const level = UNAVAILABLE.has(status) ? 'warn' : err || status >= 500 ? 'error' : 'info';
  const line = { method: req.method, route: routeTemplate(req), status, duration_ms, ...tenantOf(req) };
  if (err || status >= 500) {
    // A 502/503/504 answer is an outage we name to the client (a store, Stripe, draining), not a
    // fault of ours: a made-up "failed with status code" error and its stack say nothing.
    const error = err ?? new Error(`failed with status code ${status}`);
    log[level](UNAVAILABLE.has(status) ? line : { ...line, err: error }, 'request failed');
    return;
  }
  log[level](line, 'request completed');
}

const tenantOf = (req: Req) => (req.user?.kind === 'tenant' ? { tenant_id: req.user.tenantId } : {});
