import { createRequire } from 'node:module';
import { IncomingMessage, type ServerResponse } from 'node:http';
import { RequestMethod, type LogLevel } from '@nestjs/common';
import pino, { type Level, type LoggerOptions } from 'pino';
import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { appEnv } from '../config/app.env.js';
import { scrubFields, scrubSecrets } from './redaction.js';
import { logDestination } from './log-destination.js';
import { routeTemplate } from '../http/route-template.js';
import { traceFields } from '../tracing/trace-fields.js';

export type ProcessRole = 'api' | 'worker' | 'migrate' | 'cli';

/** Statuses that say a dependency is unavailable (timeouts included) rather than that we failed. */
const UNAVAILABLE = new Set([502, 503, 504]);

const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** The most verbose of Nest's level list (what `logger: [...]` in a test asks for), as a pino level. */
export function pinoLevelOf(levels: LogLevel[] | false | undefined): Level | 'silent' {
  if (levels === false) return 'silent';
  const order: Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const wanted = (levels ?? [appEnv.get().LOG_LEVEL]).map((l) => PINO_LEVEL[l]);
  return order.find((l) => wanted.includes(l)) ?? 'info';
}

type Req = IncomingMessage & { requestId?: string; user?: { kind: string; tenantId?: string }; originalUrl?: string };

/** pino options shared by every role: JSON with ISO times, level names, secrets cut out. */
export function pinoOptions(role: ProcessRole, level: Level | 'silent'): LoggerOptions {
  const env = appEnv.get();
  const pretty = (env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json')) === 'pretty' && prettyAvailable();
  return {
    level,
    base: { role },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: (fields) => scrubFields(fields) },
    // Every line written inside a traced request or job names its trace, so logs and spans join up.
    mixin: traceFields,
    serializers: {
      err: (e: Error) => {
        const out = pino.stdSerializers.err(e);
        out.message = scrubSecrets(out.message);
        if (out.stack) out.stack = scrubSecrets(out.stack);
        return out;
      },
    },
    hooks: {
      // Free text can quote a presigned URL or a credential (an upstream error, a backend's answer).
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) if (typeof args[i] === 'string') args[i] = scrubSecrets(args[i] as string);
        method.apply(this, args);
      },
    },
    transport: pretty ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,role' } } : undefined,
  };
}

/**
 * nestjs-pino for this process: one access line per request when it ends (method, route
 * template, status, duration, request id, tenant id), and every log made while serving it
 * carries the request id. Probes and scrapes are left out of the middleware altogether: they are
 * the busiest routes and tell nothing a log reader needs.
 */
export function loggerParams(role: ProcessRole, levels?: LogLevel[] | false): Params {
  const options = pinoOptions(role, pinoLevelOf(levels));
  const http: Options<Req, ServerResponse> = {
    ...options,
    quietReqLogger: true,
    quietResLogger: true,
    // pino-http still builds a `{ req }` child logger per request that neither quiet logger uses,
    // and pino serialises a child's bindings when it is built: the request's headers, URL and
    // address turned into JSON for nothing, on every request. A live request (the only thing
    // pino-http binds) serialises to nothing; a `req` a log call names is written as before.
    serializers: { ...options.serializers, req: (req: { raw?: unknown }) => (req.raw instanceof IncomingMessage ? undefined : req) },
    customAttributeKeys: { reqId: 'request_id', responseTime: 'duration_ms' },
    genReqId: (req) => req.requestId ?? 'unknown',
    // The tenant is a field of the access line, not a customProps binding: pino-http builds a child
    // logger per request for those (issue 36: child loggers were 5-8 % of /v1/me's and a poll's CPU).
    customSuccessObject: (req, res, value: Record<string, unknown>) => ({
      method: req.method,
      route: routeTemplate(req),
      status: res.statusCode,
      duration_ms: value.duration_ms,
      ...tenantOf(req),
    }),
    // A 502/503/504 answer is an outage we name to the client (a store, Stripe, draining), not a
    // fault of ours: pino-http's made-up "failed with status code" error and its stack say nothing.
    customErrorObject: (req, res, err, value: Record<string, unknown>) => ({
      method: req.method,
      route: routeTemplate(req),
      status: res.statusCode,
      duration_ms: value.duration_ms,
      ...tenantOf(req),
      ...(UNAVAILABLE.has(res.statusCode) ? {} : { err }),
    }),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    // 4xx is the caller's business, not an incident; a named outage (502/503/504) is a warning.
    customLogLevel: (_req, res, err) => (UNAVAILABLE.has(res.statusCode) ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info'),
  };
  return {
    pinoHttp: options.transport ? http : [http, logDestination()],
    exclude: ['health/live', 'health/ready', 'metrics'].map((path) => ({ path, method: RequestMethod.ALL })),
  };
}

const tenantOf = (req: Req) => (req.user?.kind === 'tenant' ? { tenant_id: req.user.tenantId } : {});

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    // The production image has no dev dependencies: JSON it is.
    return false;
  }
}
