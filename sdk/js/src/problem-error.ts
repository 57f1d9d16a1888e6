import type { components } from './schema.js';

export type Problem = components['schemas']['Problem'];
export type ProblemCode = Problem['code'];

/** A problem+json answer as an exception: `code` is one of the API's documented codes. */
export class LeomaProblemError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly requestId: string | undefined;
  readonly problem: Problem;

  constructor(
    problem: Problem,
    readonly response?: Response,
  ) {
    super(`${problem.detail} (${problem.code}, HTTP ${problem.status}${problem.request_id ? `, ${problem.request_id}` : ''})`);
    this.name = 'LeomaProblemError';
    this.status = problem.status;
    this.code = problem.code;
    this.requestId = problem.request_id;
    this.problem = problem;
  }
}

/** The `data` of an openapi-fetch result, or its problem thrown as a LeomaProblemError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = result.error as Partial<Problem> | undefined;
    const problem: Problem =
      body && typeof body === 'object' && 'code' in body
        ? (body as Problem)
        : {
            type: 'about:blank',
            title: result.response.statusText,
            status: result.response.status,
            detail: `HTTP ${result.response.status}`,
            code: 'internal_error',
          };
    throw new LeomaProblemError(problem, result.response);
  }
  return result.data as T;
}
