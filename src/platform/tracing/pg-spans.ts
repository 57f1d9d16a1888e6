import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import pg from 'pg';

/** SQL longer than this is cut in the span (a bulk insert's placeholders say nothing more). */
const QUERY_TEXT_MAX = 2_000;

/**
 * A client span for every query sent inside a trace (a request or a job), by wrapping
 * `pg.Client.prototype.query` once when tracing starts. The OpenTelemetry pg instrumentation
 * would do the same, but only through a `require` hook loaded before pg, which an ES-module app
 * that loads the SDK lazily never has. Queries outside a trace (the loops' polls) get no span;
 * streams (QueryStream, cursors) get none either. Tracing off: this never runs. Returns what
 * puts the original back (stopTracing).
 */
export function tracePg(): () => void {
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  pg.Client.prototype.query = function tracedQuery(this: pg.Client, ...args: unknown[]) {
    const parent = context.active();
    const config = args[0] as string | { text?: string; name?: string; submit?: unknown } | null | undefined;
    if (!trace.getSpan(parent) || config == null || (typeof config === 'object' && typeof config.submit === 'function')) return query.apply(this, args);
    const text = typeof config === 'string' ? config : (config.text ?? '');
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
    const connection = this as unknown as { host?: string; port?: number; database?: string };
    const span = trace.getTracer('leoma').startSpan(
      `pg ${operation}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          'db.operation.name': operation,
          'db.query.text': text.length > QUERY_TEXT_MAX ? `${text.slice(0, QUERY_TEXT_MAX)}…` : text,
          ...(typeof config === 'object' && config.name ? { 'db.query.summary': `prepared ${config.name}` } : {}),
          ...(connection.database ? { 'db.namespace': connection.database } : {}),
          ...(connection.host ? { 'server.address': connection.host } : {}),
          ...(connection.port ? { 'server.port': connection.port } : {}),
        },
      },
      parent,
    );
    const end = (error?: unknown) => {
      if (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      }
      span.end();
    };
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (error: unknown, result: unknown) => void;
      args[last] = (error: unknown, result: unknown) => {
        end(error);
        callback(error, result);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args) as Promise<unknown>;
    result.then(
      () => end(),
      (error: unknown) => end(error),
    );
    return result;
  } as typeof pg.Client.prototype.query;
  return () => {
    pg.Client.prototype.query = query as typeof pg.Client.prototype.query;
  };
}
