import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * A client span for every S3 request the client sends (one per attempt), from a middleware at
 * the innermost step of its stack — added only while tracing is on. Presigning runs the stack
 * too but stops before this step, so a presigned URL makes no span.
 */
export function traceS3<C extends Pick<S3Client, 'middlewareStack'>>(client: C, tracing: boolean): C {
  if (!tracing) return client;
  client.middlewareStack.add(
    (next, handlerContext) => async (args) => {
      const operation = handlerContext.commandName?.replace(/Command$/, '') ?? 'request';
      const bucket = (args.input as { Bucket?: string } | undefined)?.Bucket;
      return trace.getTracer('leoma').startActiveSpan(
        `S3 ${operation}`,
        {
          kind: SpanKind.CLIENT,
          attributes: { 'rpc.system': 'aws-api', 'rpc.service': 'S3', 'rpc.method': operation, ...(bucket ? { 'aws.s3.bucket': bucket } : {}) },
        },
        async (span) => {
          try {
            const result = await next(args);
            const status = (result.response as { statusCode?: number } | undefined)?.statusCode;
            if (status) span.setAttribute('http.response.status_code', status);
            return result;
          } catch (error) {
            const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
            if (status) span.setAttribute('http.response.status_code', status);
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
    { step: 'deserialize', priority: 'high', name: 'leomaTracingMiddleware' },
  );
  return client;
}
