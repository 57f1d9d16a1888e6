export type BackendErrorCode =
  | 'backend_unavailable'
  | 'backend_timeout'
  | 'backend_busy'
  | 'generation_failed'
  | 'output_invalid'
  | 'no_backend_available'
  | 'processing_failed';

/** A failed attempt on a GPU backend; `retriable` says whether another attempt may succeed. */
export class BackendError extends Error {
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    readonly retriable = true,
  ) {
    super(message);
  }
}

/** The video was canceled while a backend worked on it; the prediction was canceled there too. */
export class DispatchCanceled extends Error {}
