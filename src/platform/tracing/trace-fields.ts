import { isSpanContextValid, trace } from '@opentelemetry/api';
import { tracingOn } from './tracing.js';

/** `trace_id` and `span_id` of the active span, for a log line; nothing while tracing is off or outside a span. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  if (!tracingOn()) return {};
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
}
