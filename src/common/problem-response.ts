import type { Request, Response } from 'express';
import { PROBLEM_TYPE_BASE, titleFor } from './problem.js';

/** For the few places that answer before Nest's exception filter can (Express-level middleware). */
export function sendProblem(req: Request, res: Response, status: number, code: string, detail: string, param?: string): void {
  const errors = param ? [{ param, code, message: detail }] : undefined;
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: PROBLEM_TYPE_BASE + code, title: titleFor(status), status, detail, code, request_id: req.requestId, ...(errors ? { errors } : {}) }));
}
