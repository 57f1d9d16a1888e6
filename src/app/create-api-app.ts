import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { LogLevel } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { Request, Response } from 'express';
import { ApiModule } from './api.module.js';
import { requestIdMiddleware } from '../platform/http/request-id.middleware.js';
import { parseQueryOnce } from '../platform/http/query-once.js';
import { corsMiddleware } from '../platform/http/cors.middleware.js';
import { answerClientErrorsAsProblems } from '../platform/http/client-errors.js';
import { applyServerTimeouts } from '../platform/http/server-timeouts.js';
import { buildOpenApiDocument } from '../platform/openapi/openapi-document.js';
import { forTryItOut } from '../platform/openapi/examples.js';
import { tryItOut } from '../platform/openapi/try-it-out.js';
import { operatorSpecHolder } from './operator-spec.controller.js';
import { publicSpec } from '../platform/openapi/public-spec.js';
import { LoggingModule } from '../platform/logging/logging.module.js';
import { accessLogMiddleware } from '../platform/logging/access-log.middleware.js';
import { httpMetricsMiddleware } from '../platform/metrics/http-metrics.middleware.js';
import { serveMetrics } from '../platform/metrics/metrics-endpoint.js';
import { collectProcessMetrics } from '../platform/metrics/registry.js';
import { tracingOn } from '../platform/tracing/tracing.js';
import { httpTracingMiddleware } from '../platform/tracing/http-tracing.middleware.js';
import { errorCodeRows } from './error-codes.js';
import { serveErrorPages } from '../platform/http/error-pages.js';
import { serveDocs } from '../platform/docs/index.js';
import { serveConsole } from '../console/index.js';
import { answerLiveness, livenessPathItem, LIVENESS_PATH } from '../health/index.js';

/**
 * Builds the HTTP app exactly as production runs it; tests and the OpenAPI generator use this too.
 * `logger` narrows the log levels the way Nest's option does (tests pass ['error']). A startup
 * error logs and exits the process; `abortOnError: false` (tests) rejects with it instead.
 */
export async function createApiApp(opts: { logger?: LogLevel[] | false; abortOnError?: false } = {}): Promise<NestExpressApplication> {
  @Module({ imports: [LoggingModule.forRole('api', opts.logger), ApiModule] })
  class ApiRoot {}
  // Bodies are read by the last global guard (ReadBodyGuard), after authentication and rate limiting, within each route's cap.
  const app = await NestFactory.create<NestExpressApplication>(ApiRoot, { bodyParser: false, bufferLogs: true, abortOnError: opts.abortOnError });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag: a SHA-1 over each 100-video list page, and our
  // JSON answers (presigned URLs, changing statuses) are not what conditional GETs are for.
  app.set('etag', false);
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  parseQueryOnce(app.getHttpAdapter().getInstance());
  collectProcessMetrics();
  // First of all, before any middleware: probes pay for nothing else (health/liveness.ts).
  app.getHttpAdapter().getInstance().get(LIVENESS_PATH, answerLiveness);
  app.use(httpMetricsMiddleware);
  app.use(requestIdMiddleware);
  app.use(corsMiddleware());
  if (tracingOn()) app.use(httpTracingMiddleware);
  answerClientErrorsAsProblems(app.getHttpServer());
  applyServerTimeouts(app.getHttpServer());
  // The operator spec (every operation) is served to operator keys only; customers get the public one.
  const document = buildOpenApiDocument(app, errorCodeRows(), { [LIVENESS_PATH]: livenessPathItem() });
  operatorSpecHolder.document = document;
  const publicDocument = publicSpec(document);
  // Swagger UI's "Try it out" goes to the first server: here, the one serving these docs.
  const docsDocument = () => ({ ...forTryItOut(publicDocument), servers: [{ url: '/', description: 'this server' }, ...(publicDocument.servers ?? [])] });
  const express = app.getHttpAdapter().getInstance();
  // The reference (Redoc) and the guides at /docs; Swagger UI stays at /docs/try for trying calls with a key.
  serveDocs(express);
  app.use('/docs/try', tryItOut(docsDocument, 'Leoma API · try it'));
  express.get('/openapi.json', (_req: Request, res: Response) => {
    res.json(publicDocument);
  });
  serveErrorPages(express, errorCodeRows());
  serveConsole(express);
  // Outside Nest's router: no guards, no access log, nothing in the OpenAPI document.
  express.get('/metrics', (req: Request, res: Response) => void serveMetrics(req, res));
  // Last before Nest's routes (mounted at init): what reaches them is logged, nothing above is.
  app.use(accessLogMiddleware(await app.resolve(PinoLogger)));
  return app;
}
