import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Swagger UI ("Try it out") at the path it is mounted on, built on its first request: its package
 * and the HTML it renders with the whole spec inlined cost the api ~4 MB of heap from start, and
 * most replicas never serve it (issue 36, idle memory). `document` is called once, then.
 */
export function tryItOut(document: () => OpenAPIObject, siteTitle: string): RequestHandler {
  let handlers: Promise<RequestHandler[]> | undefined;
  const load = async (): Promise<RequestHandler[]> => {
    const { default: swaggerUi } = await import('swagger-ui-express');
    return [...swaggerUi.serve, swaggerUi.setup(document(), { customSiteTitle: siteTitle })];
  };
  return (req: Request, res: Response, next: NextFunction) => {
    handlers ??= load();
    handlers.then((hs) => {
      // Express's own way through a list of handlers: the next one on success, out on an error or 'route'.
      let i = 0;
      const step = (err?: unknown): void => {
        if (err !== undefined && err !== null) return next(err);
        const h = hs[i++];
        if (!h) return next();
        h(req, res, step);
      };
      step();
    }, next);
  };
}
