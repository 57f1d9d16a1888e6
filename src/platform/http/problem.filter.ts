import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problemBody, ProblemException, type ProblemBody } from './problem.js';
import { DomainError } from './domain-error.js';

const CODES_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'authentication_required',
  403: 'forbidden',
  404: 'resource_not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/**
 * Turns anything thrown while handling a request into application/problem+json; never leaks a stack.
 * `statusOf` comes from the composition root (every module's error catalogue): the one place a
 * DomainError's code becomes an HTTP status. An uncatalogued code is our bug, so it is a 500.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  constructor(private readonly statusOf: (code: string) => number | undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const { body, headers } = this.toProblem(exception, req);
    if (body.status >= 500) {
      // Method and path only: headers may hold credentials.
      this.logger.error(`${req.method} ${req.path} ${body.request_id}: ${(exception as Error)?.stack ?? exception}`);
    }
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    // Refused before its body was read (auth, rate, cap): close rather than drain the rest of it.
    if (!req.complete) res.setHeader('Connection', 'close');
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(exception: unknown, req: Request): { body: ProblemBody; headers: Record<string, string> } {
    const requestId = req.requestId;
    if (exception instanceof ProblemException) {
      return { body: exception.toBody(requestId), headers: exception.extra.headers ?? {} };
    }
    if (exception instanceof DomainError) {
      const status = this.statusOf(exception.code);
      if (status !== undefined)
        return { body: problemBody(status, exception.code, exception.message, requestId, exception.extensions), headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODES_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
      const detail = status === 404 ? `No route for ${req.method} ${req.path}.` : messageOf(exception);
      return { body: problemBody(status, code, detail, requestId), headers: {} };
    }
    return {
      body: problemBody(500, 'internal_error', 'Something went wrong on our side. Retry later or quote the request_id to support.', requestId),
      headers: {},
    };
  }
}

function messageOf(e: HttpException): string {
  const r = e.getResponse();
  if (typeof r === 'string') return r;
  const m = (r as { message?: unknown }).message;
  return Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : e.message;
}
