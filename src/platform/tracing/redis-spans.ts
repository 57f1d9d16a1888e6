import { tracingChannel } from 'node:diagnostics_channel';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

/** What ioredis publishes on `ioredis:command` and `ioredis:batch` (its built/tracing.js). */
interface RedisMessage {
  command?: string;
  batchMode?: string;
  batchSize?: number;
  database?: number;
  serverAddress?: string;
  serverPort?: number;
  error?: unknown;
}

const spans = new WeakMap<object, Span>();

/**
 * A client span for every Redis command (and MULTI) sent inside a trace, from the tracing
 * channels ioredis publishes (`node:diagnostics_channel`): ioredis skips building the message
 * while nobody subscribes, so tracing off costs nothing. Commands outside a trace (BullMQ's
 * blocking polls, the loops) get no span. Arguments are left out: they carry keys and job data.
 * Returns what unsubscribes (stopTracing).
 */
export function traceRedis(): () => void {
  const handlers = {
    start(message: RedisMessage) {
      const parent = context.active();
      if (!trace.getSpan(parent)) return;
      const operation = message.batchMode ?? message.command?.toUpperCase() ?? 'COMMAND';
      const span = trace.getTracer('leoma').startSpan(
        `redis ${operation}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'redis',
            'db.operation.name': operation,
            'db.namespace': String(message.database ?? 0),
            ...(message.batchSize !== undefined ? { 'db.operation.batch.size': message.batchSize } : {}),
            ...(message.serverAddress ? { 'server.address': message.serverAddress } : {}),
            ...(message.serverPort ? { 'server.port': message.serverPort } : {}),
          },
        },
        parent,
      );
      spans.set(message, span);
    },
    error(message: RedisMessage) {
      const span = spans.get(message);
      span?.recordException(message.error as Error);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: (message.error as Error)?.message });
    },
    asyncEnd(message: RedisMessage) {
      spans.get(message)?.end();
      spans.delete(message);
    },
    end() {},
    asyncStart() {},
  };
  const channels = [tracingChannel('ioredis:command'), tracingChannel('ioredis:batch')];
  for (const channel of channels) channel.subscribe(handlers as never);
  return () => {
    for (const channel of channels) channel.unsubscribe(handlers as never);
  };
}
