import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { tracingOn } from './tracing.js';

const tracer = () => trace.getTracer('leoma');

/** The current trace context as W3C headers, to ride along in a job's data; undefined while tracing is off. */
export function traceCarrier(): Record<string, string> | undefined {
  if (!tracingOn()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length ? carrier : undefined;
}

/** Adds the current trace context to outgoing request headers (a GPU backend continues the trace). */
export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  if (tracingOn()) propagation.inject(context.active(), headers);
  return headers;
}

/** Runs a job as a span that continues the trace of whoever enqueued it (`data.trace`). */
export function runJobInTraceContext<T>(job: { name: string; queueName: string; id?: string; data?: unknown }, fn: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return fn();
  const carrier = (job.data as { trace?: Record<string, string> } | undefined)?.trace ?? {};
  const parent = propagation.extract(context.active(), carrier);
  return tracer().startActiveSpan(
    `job ${job.name}`,
    { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'bullmq', 'messaging.destination.name': job.queueName, 'messaging.message.id': job.id } },
    parent,
    (span) => settle(span, fn),
  );
}

/** Runs `fn` in a child span of the current one. */
export function inSpan<T>(name: string, kind: SpanKind, attributes: Record<string, string | number>, fn: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return fn();
  return tracer().startActiveSpan(name, { kind, attributes }, (span) => settle(span, fn));
}

async function settle<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    span.recordException(e as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    throw e;
  } finally {
    span.end();
  }
}
