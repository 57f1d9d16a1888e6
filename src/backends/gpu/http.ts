import { BackendError } from './backend-error.js';

/** A health answer is a few bytes of JSON; anything longer is not one. */
export const HEALTH_BODY_MAX_BYTES = 16 * 1024;

export const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

export function classifyFetchError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  const name = (e as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new BackendError('backend_timeout', 'backend did not answer before the deadline');
  return new BackendError('backend_unavailable', `backend unreachable: ${(e as Error)?.message ?? e}`);
}

/** At most the first `maxBytes` of a body (for error messages), then hangs up on the rest. */
export async function readPrefix(res: Response, maxBytes: number): Promise<Buffer> {
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks);
      chunks.push(Buffer.from(value));
      size += value.length;
    }
    await reader.cancel();
  } catch (e) {
    throw classifyFetchError(e);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}
