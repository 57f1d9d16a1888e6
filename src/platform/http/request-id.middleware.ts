import type { NextFunction, Request, Response } from 'express';
import { newId } from './ids.js';

declare module 'express-serve-static-core' {
  interface Request {
    requestId?: string;
  }
}

/** Every response carries a Request-Id; ours are generated, never taken from the client, so logs can trust them. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  req.requestId = newId('request');
  res.setHeader('Request-Id', req.requestId);
  next();
}
