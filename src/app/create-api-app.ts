import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { LogLevel } from '@nestjs/common';
import swaggerUi from 'swagger-ui-express';
import type { Request, Response } from 'express';
import { ApiModule } from './api.module.js';
import { requestIdMiddleware } from '../platform/http/request-id.middleware.js';
import { answerClientErrorsAsProblems } from '../platform/http/client-errors.js';
import { applyServerTimeouts } from '../platform/http/server-timeouts.js';
import { buildOpenApiDocument } from '../platform/openapi/openapi-document.js';
import { errorCodeRows } from './error-codes.js';

/** Builds the HTTP app exactly as production runs it; tests and the OpenAPI generator use this too. */
export async function createApiApp(opts: { logger?: LogLevel[] | false } = {}): Promise<NestExpressApplication> {
  // Bodies are read by the last global guard (ReadBodyGuard), after authentication and rate limiting, within each route's cap.
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, { bodyParser: false, logger: opts.logger ?? ['error', 'warn', 'log'] });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(requestIdMiddleware);
  answerClientErrorsAsProblems(app.getHttpServer());
  applyServerTimeouts(app.getHttpServer());
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app, errorCodeRows().map((r) => r.code));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Leoma API' }));
  app.getHttpAdapter().getInstance().get('/openapi.json', (_req: Request, res: Response) => {
    res.json(document);
  });
  return app;
}
