import { secretValues } from '../config/secret-values.js';

/**
 * What never reaches a log line. Structured fields are cut by name (`scrubFields`, which the
 * logger runs over every line's fields); free text (messages, error messages) is scrubbed by
 * pattern, because an upstream error can quote a presigned URL or a header back at us. By name
 * rather than by pino's `redact` paths: those cloned the bindings of every request's child logger
 * and every access line (issue 36: ~15 % of `GET /v1/me`'s CPU), while the walk below already
 * visits each field and allocates only when it cuts something. Child loggers' bindings are not
 * walked: they are only ever our own ids (request, tenant, job).
 */
export const REDACTED_FIELDS: ReadonlySet<string> = new Set([
  // Credential-bearing headers (a request's or response's headers logged as an object).
  'authorization',
  'cookie',
  'set-cookie',
  'stripe-signature',
  'webhook-signature',
  'x-api-key',
  // Fields with these names, wherever a line carries them.
  'password',
  'secret',
  'api_key',
  'apiKey',
  'token',
  'key_hash',
  'privateKey',
  'mnemonic',
]);
const CENSOR = '[REDACTED]';

/** Query parameters of a presigned URL that grant access: the signature and the credentials it was made with. */
const SIGNED_QUERY = /\b(X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|sig|token)=[^&\s"'<>]+/gi;
/** Bearer credentials, our API keys (lk_live_/lk_test_/lk_op_), webhook secrets (whsec_), Stripe secret keys (sk_/rk_). */
const CREDENTIALS = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+|\blk_(?:live|test|op)_[A-Za-z0-9]+|\b[sr]k_(?:live|test)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9+/=]+/g;
/** Cheap pre-check so a clean line (almost every line) pays one scan and no allocation. */
const MAY_HOLD_SECRET = /=|Bearer|_live_|_test_|lk_op_|whsec_/;

export function scrubSecrets(text: string): string {
  let out = text;
  for (const value of secretValues()) if (out.includes(value)) out = out.split(value).join('[REDACTED]');
  if (!MAY_HOLD_SECRET.test(out)) return out;
  return out.replace(SIGNED_QUERY, '$1=[REDACTED]').replace(CREDENTIALS, (_m, bearer: string | undefined) => (bearer ? `${bearer}[REDACTED]` : '[REDACTED]'));
}

/**
 * A line's fields a few levels down: those named in REDACTED_FIELDS censored, every other string
 * scrubbed like free text (a secret can sit in any field). Returns the object itself when nothing
 * changed, so a clean line allocates nothing.
 */
export function scrubFields<T>(value: T, depth = 3): T {
  if (typeof value === 'string') return scrubSecrets(value) as T;
  if (depth === 0 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  let copy: Record<string, unknown> | unknown[] | undefined;
  for (const [k, v] of Object.entries(value)) {
    const scrubbed = v !== undefined && REDACTED_FIELDS.has(k) ? CENSOR : scrubFields(v, depth - 1);
    if (scrubbed !== v) {
      copy ??= Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
      (copy as Record<string, unknown>)[k] = scrubbed;
    }
  }
  return (copy ?? value) as T;
}
