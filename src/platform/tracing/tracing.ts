import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { tracingEnv } from './tracing.env.js';

let provider: NodeTracerProvider | undefined;

/** True once startTracing turned tracing on in this process; every hook is a no-op otherwise. */
export const tracingOn = (): boolean => provider !== undefined;

/**
 * Starts the OpenTelemetry SDK when OTEL_TRACING_ENABLED=true: W3C trace context, async-hook
 * context propagation, batched OTLP/HTTP export. Spans are made by our own hooks (HTTP server,
 * job, GPU call), not by monkey-patching libraries, so tracing costs nothing while it is off —
 * not even the SDK's import (~20 MB of RSS, issue 36), which happens here, only when it is on.
 */
export async function startTracing(role: string): Promise<void> {
  const env = tracingEnv.get();
  if (!env.OTEL_TRACING_ENABLED || provider) return;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  if (provider) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME, 'service.namespace': 'leoma', 'leoma.role': role }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
}

/** Sends what is buffered; called on shutdown. */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}
