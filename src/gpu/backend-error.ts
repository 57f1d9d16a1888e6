/** A failed attempt on a GPU backend; `retriable` says whether another attempt may succeed. */
export class BackendError extends Error {
  constructor(readonly code: 'backend_unavailable' | 'backend_timeout' | 'backend_busy' | 'generation_failed' | 'output_invalid' | 'processing_failed', message: string, readonly retriable = true) {
    super(message);
  }
}
