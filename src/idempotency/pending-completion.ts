import type { Request } from 'express';

/** How a completed request's response is stored: one statement, used by the interceptor and inside a handler's transaction alike. */
export const STORE_RESPONSE_SQL = `UPDATE "idempotency_keys" SET state = 'completed', locked_until = NULL, response_status = $3, response_body = $4::jsonb WHERE owner = $1 AND key = $2`;

/** The statement's values: the body as JSON text (pg would send a top-level array as a PostgreSQL array literal). */
export function storeResponseValues(owner: string, key: string, status: number, body: unknown): unknown[] {
  return [owner, key, status, body === undefined ? null : JSON.stringify(body)];
}

/**
 * Secrets (API keys, signing secrets) are shown once and never stored, not even in the replay
 * copy: a replay answers `secret: null`, and a client that lost the first response rolls the key.
 */
export function withoutSecret(body: unknown): unknown {
  return body && typeof body === 'object' && 'secret' in body ? { ...body, secret: null } : body;
}

/**
 * The claimed `Idempotency-Key` of a running request. A handler whose whole effect commits in one
 * transaction may store its response there (`storeIn`, then `stored()` once committed): the
 * interceptor then writes nothing after it, one statement fewer (issue 36: a submit). Should the
 * handler still fail after that commit, the interceptor forgets the key, completed or not, as it
 * forgets every failed request's.
 */
export class PendingCompletion {
  private done = false;

  constructor(
    private readonly owner: string,
    private readonly key: string,
    private readonly status: number,
  ) {}

  /** The statement that stores `body` as this request's response, to run in the handler's transaction. */
  storeIn(body: unknown): { sql: string; values: unknown[] } {
    return { sql: STORE_RESPONSE_SQL, values: storeResponseValues(this.owner, this.key, this.status, withoutSecret(body ?? null)) };
  }

  /** The transaction that ran storeIn's statement has committed. */
  stored(): void {
    this.done = true;
  }

  get isStored(): boolean {
    return this.done;
  }
}

const pending = new WeakMap<Request, PendingCompletion>();

export function setPendingCompletion(req: Request, completion: PendingCompletion): void {
  pending.set(req, completion);
}

/** The request's claimed key, when it was sent with one by a caller that has a key namespace. */
export function pendingCompletion(req: Request): PendingCompletion | undefined {
  return pending.get(req);
}
