import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { tracingEnv } from './tracing.env.js';

let provider: NodeTracerProvider | undefined;
/** What takes the library hooks off again. */
let unhook: (() => void)[] = [];

/** True once startTracing turned tracing on in this process; every hook is a no-op otherwise. */
export const tracingOn = (): boolean => provider !== undefined;

/**
 * Starts the OpenTelemetry SDK when OTEL_TRACING_ENABLED=true: W3C trace context, async-hook
 * context propagation, batched OTLP/HTTP export. Spans are made by our own hooks, switched on
 * here and nowhere else: HTTP server, job, GPU call, PostgreSQL (pg-spans), Redis (ioredis'
 * diagnostics channels), S3 (a client middleware) and Stripe (its HTTP client). Not by the
 * auto-instrumentations: they patch `require` and must load before the libraries they patch,
 * which this ES-module app, importing the SDK lazily, never does. So tracing costs nothing while
 * it is off — not even the SDK's import (~20 MB of RSS, issue 36), which happens here, only when
 * it is on. Call it before the app's clients are built (S3 and Stripe clients ask tracingOn()).
 */
export async function startTracing(role: string): Promise<void> {
  const env = tracingEnv.get();
  if (!env.OTEL_TRACING_ENABLED || provider) return;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { tracePg }, { traceRedis }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('./pg-spans.js'),
    import('./redis-spans.js'),
  ]);
  if (provider) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME, 'service.namespace': 'leoma', 'leoma.role': role }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  unhook = [tracePg(), traceRedis()];
}

/**
 * Sends what is buffered and leaves the process as before startTracing (called on shutdown; a
 * test file that traced leaves no hook or global provider to the next file in its process).
 */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  if (!stopping) return;
  provider = undefined;
  for (const undo of unhook) undo();
  unhook = [];
  await stopping.shutdown().catch(() => undefined);
  const { context, propagation, trace } = await import('@opentelemetry/api');
  trace.disable();
  context.disable();
  propagation.disable();
}
