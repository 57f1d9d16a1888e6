import type { ModelRef, RemoteFile, RemotePart, RemoteSnapshot } from './types.js';

/** One registry (Hugging Face or the Hippius hub) as the fetcher sees it: a listing, then bytes. */
export interface Remote {
  list(ref: ModelRef, signal: AbortSignal): Promise<RemoteSnapshot>;
  /** The bytes of one part, from `from` on (a Range request when `from` > 0 or the part starts inside its blob). */
  open(part: RemotePart, from: number, signal: AbortSignal): Promise<Response>;
  /** The file with its parts known (a chunked-v2 file's pointer read); other files as they are. */
  resolve(file: RemoteFile, signal: AbortSignal): Promise<RemoteFile>;
}

export interface RemoteLimits {
  /** How long to wait for a response head. */
  requestTimeoutMs: number;
}

export const HEX40 = /^[0-9a-f]{40}$/;
export const HEX64 = /^[0-9a-f]{64}$/;
