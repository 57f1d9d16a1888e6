import type { BackendTarget } from '../gpu-backend.entity.js';
import type { BackendOutput } from '../gpu/output-file.js';
import type { HealthAnswer } from '../gpu/health-answer.js';
import type { ModelIdentity } from '../gpu/model-identity.js';

/** One generation, in our terms; each adapter maps it onto its protocol. */
export interface GenerationRequest {
  /** Unique per call: a backend's answer must name it, so no other job's output is accepted. */
  predictionId: string;
  prompt: string;
  negativePrompt?: string;
  image: Buffer;
  imageType: string;
  /** The frame size, rate and count the model's capabilities give for the request. */
  width: number;
  height: number;
  fps: number;
  frames: number;
  camera?: string;
  seed?: number;
  /** The model this call is for, when it has a digest; the backend refuses it (ModelNotLoaded) if it has another loaded. */
  model?: ModelIdentity;
}

export interface CallOptions {
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  /** Where output temp files go; empty: the OS temp directory. */
  outputDir: string;
}

export interface BackendAdapter {
  /** The MP4 in a temp file (the caller disposes of it), or a BackendError saying why not. */
  generate(backend: BackendTarget, req: GenerationRequest, opts: CallOptions): Promise<BackendOutput>;
  /** Best effort: asks the backend to stop a prediction we no longer want. */
  cancel(backend: BackendTarget, predictionId: string): Promise<void>;
  health(backend: BackendTarget, timeoutMs: number): Promise<HealthAnswer>;
}

export const authHeaders = (b: BackendTarget): Record<string, string> => (b.authHeader ? { authorization: b.authHeader } : {});
