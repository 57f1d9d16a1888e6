import { createRequire } from 'node:module';
import { IncomingMessage, type ServerResponse } from 'node:http';
import type { LogLevel } from '@nestjs/common';
import pino, { type Level, type LoggerOptions } from 'pino';
import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { appEnv } from '../config/app.env.js';
import { scrubFields, scrubSecrets } from './redaction.js';
import { logDestination } from './log-destination.js';
import { traceFields } from '../tracing/trace-fields.js';

export type ProcessRole = 'api' | 'worker' | 'migrate' | 'cli';

const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** The most verbose of Nest's level list (what `logger: [...]` in a test asks for), as a pino level. */
export function pinoLevelOf(levels: LogLevel[] | false | undefined): Level | 'silent' {
  if (levels === false) return 'silent';
  const order: Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const wanted = (levels ?? [appEnv.get().LOG_LEVEL]).map((l) => PINO_LEVEL[l]);
  return order.find((l) => wanted.includes(l)) ?? 'info';
}

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
 * nestjs-pino for this process: its root logger (pino-http builds it) and its `Logger` for Nest.
 * The access line and the request id on every log made while serving a request come from
 * access-log.middleware.ts, which the API mounts where nestjs-pino's own middleware would go; so
 * nestjs-pino mounts none (`forRoutes: []`).
 */
export function loggerParams(role: ProcessRole, levels?: LogLevel[] | false): Params {
  const options = pinoOptions(role, pinoLevelOf(levels));
  const http: Options<IncomingMessage, ServerResponse> = {
    ...options,
    // A `req` a log call names is written (redacted) by pino-http's request serializer; a live
    // request, which nothing of ours logs whole, serialises to nothing.
    serializers: { ...options.serializers, req: (req: { raw?: unknown }) => (req.raw instanceof IncomingMessage ? undefined : req) },
  };
  return { pinoHttp: options.transport ? http : [http, logDestination()], forRoutes: [] };
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    // The production image has no dev dependencies: JSON it is.
    return false;
  }
}
