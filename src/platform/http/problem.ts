import { HttpException } from '@nestjs/common';
import { appEnv } from '../config/app.env.js';

export interface FieldProblem {
  param: string;
  code: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  request_id?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/**
 * Where each code's page is served (`GET /errors/{code}`, from the error catalogues): on this API
 * at PUBLIC_BASE_URL when set, else as a path, which a client resolves against the URL it asked
 * (RFC 9457 allows a relative `type`).
 */
export const problemTypeBase = (): string => `${appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? ''}/errors/`;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** The one place a problem body is shaped, whoever answers (filter or exception). */
export function problemBody(status: number, code: string, detail: string, requestId?: string, extensions: Record<string, unknown> = {}): ProblemBody {
  return { type: problemTypeBase() + code, title: titleFor(status), status, detail, code, request_id: requestId, ...extensions };
}

/** An RFC 9457 problem with our stable machine-readable `code`; throw it anywhere in request handling. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: { errors?: FieldProblem[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(detail, status);
  }

  toBody(requestId?: string): ProblemBody {
    const { headers: _headers, ...extensions } = this.extra;
    return problemBody(this.getStatus(), this.code, this.detail, requestId, extensions);
  }
}
