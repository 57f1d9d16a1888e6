import type { BackendErrorCode } from '../backends/index.js';

/**
 * What a tenant reads in a failed video's `error.message`: our words for the code. The detail
 * (a backend's answer, a storage host and port, a stack's message) goes to the worker's log only.
 */
const MESSAGES: Record<BackendErrorCode, string> = {
  backend_unavailable: 'No GPU backend could be reached for this video.',
  backend_timeout: 'The GPU backend did not finish this video in time.',
  backend_busy: 'Every GPU backend was busy for too long.',
  generation_failed: 'The GPU backend rejected the input (image or prompt).',
  output_invalid: 'The GPU backend did not return a usable video.',
  no_backend_available: 'No GPU backend serving a ranked model could take this video.',
  processing_failed: 'The video could not be processed.',
};

export const tenantFailureMessage = (code: BackendErrorCode): string => MESSAGES[code];
