import { NodeTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { tracingEnv } from './tracing.env.js';

let provider: NodeTracerProvider | undefined;

/** True once startTracing turned tracing on in this process; every hook is a no-op otherwise. */
export const tracingOn = (): boolean => provider !== undefined;

/**
 * Starts the OpenTelemetry SDK when OTEL_TRACING_ENABLED=true: W3C trace context, async-hook
 * context propagation, batched OTLP/HTTP export. Spans are made by our own hooks (HTTP server,
 * job, GPU call), not by monkey-patching libraries, so tracing costs nothing while it is off.
 */
export function startTracing(role: string): void {
  const env = tracingEnv.get();
  if (!env.OTEL_TRACING_ENABLED || provider) return;
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
