import { z } from 'zod';
import { defineEnv } from '../config/define-env.js';

export const tracingEnv = defineEnv('tracing', {
  /** OpenTelemetry tracing, off unless `true`; spans go to OTLP/HTTP at OTEL_EXPORTER_OTLP_ENDPOINT (the SDK's own variables apply). */
  OTEL_TRACING_ENABLED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  OTEL_SERVICE_NAME: z.string().min(1).default('leoma-api'),
});
