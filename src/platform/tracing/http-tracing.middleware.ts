import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { routeTemplate } from '../http/route-template.js';

/** A server span per request, continuing the caller's trace; mounted only while tracing is on. */
export function httpTracingMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const parent = propagation.extract(context.active(), req.headers);
  const span = trace
    .getTracer('leoma')
    .startSpan(`HTTP ${req.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '' } }, parent);
  res.on('finish', () => {
    const route = routeTemplate(req);
    span.updateName(`${req.method} ${route}`);
    span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}
