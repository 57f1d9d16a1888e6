import { BackendError } from './backend-error.js';

export const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

export function classifyFetchError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  const name = (e as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new BackendError('backend_timeout', 'backend did not answer before the deadline');
  return new BackendError('backend_unavailable', `backend unreachable: ${(e as Error)?.message ?? e}`);
}

/** The body, refusing to buffer more than the cap; a connection dropped mid-body is the backend's fault. */
export async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        throw new BackendError('output_invalid', `backend response exceeds ${maxBytes} bytes`);
      }
      chunks.push(Buffer.from(value));
    }
  } catch (e) {
    throw classifyFetchError(e);
  }
  return Buffer.concat(chunks);
}
