import type { Request, Response } from 'express';
import { problemBody } from './problem.js';

/** For the few places that answer before Nest's exception filter can (Express-level middleware). */
export function sendProblem(req: Request, res: Response, status: number, code: string, detail: string, param?: string): void {
  const extensions = param ? { errors: [{ param, code, message: detail }] } : {};
  res.status(status).type('application/problem+json').send(JSON.stringify(problemBody(status, code, detail, req.requestId, extensions)));
}
