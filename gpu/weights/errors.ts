/** Why a fetch was refused; `code` is stable for the server's health `detail` and for tests. */
export type WeightErrorCode =
  | 'invalid_ref'
  | 'arch_mismatch'
  | 'unsupported_layout'
  | 'malformed_listing'
  | 'digest_mismatch'
  | 'size_mismatch'
  | 'too_large'
  | 'timeout'
  | 'aborted'
  | 'insufficient_space'
  | 'remote_error';

export class WeightFetchError extends Error {
  constructor(
    readonly code: WeightErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WeightFetchError';
  }
}

/**
 * The same error with every secret cut out of its message and stack, and no `cause` (a cause from
 * undici may quote request headers). Errors leave the fetcher only through here, so a token read
 * from a file or the environment never reaches a log or a health answer.
 */
export function redacted(error: unknown, secrets: readonly string[]): WeightFetchError {
  const scrub = (text: string): string => secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join('[redacted]'), text);
  const source = error instanceof WeightFetchError ? error : new WeightFetchError('remote_error', error instanceof Error ? error.message : String(error));
  const clean = new WeightFetchError(source.code, scrub(source.message));
  clean.stack = scrub(source.stack ?? '');
  return clean;
}
