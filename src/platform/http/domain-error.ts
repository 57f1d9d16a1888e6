/**
 * A refusal in the domain's words: a catalogued `code`, a message the client may read, and any
 * extension members or headers that help it retry. No HTTP status: services (which the worker
 * runs too) throw these, and ProblemFilter answers with the status the code's `*.errors.ts` gives.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    /** Response headers when this reaches a client over HTTP (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) => new DomainError('resource_not_found', `No ${what} with id '${id}'.`);
