import type { CameraMove } from './render.js';

/** What one prediction asks a renderer for, after the HTTP input is validated and the image read. */
export interface RenderRequest {
  image: Buffer;
  prompt: string;
  negativePrompt?: string;
  width: number;
  height: number;
  fps: number;
  frames: number;
  camera?: CameraMove;
  seed?: number;
}

export type RendererName = 'test-card' | 'wan2.2';

/** A step of a generation in progress (Wan: one denoising step). */
export interface RenderStep {
  step: number;
  total: number;
}

/**
 * A way of turning a request into MP4 bytes. The server owns the HTTP protocol, the model check and
 * the start-up; a renderer only loads weights and renders.
 */
export interface Renderer {
  readonly name: RendererName;
  /** The generation start-up runs once before READY. */
  readonly warmUp: RenderRequest;
  /** Why this request cannot be rendered as asked (a 422 on `input.<field>`), or null. */
  refuse(request: Omit<RenderRequest, 'image'>): { field: string; msg: string } | null;
  /** Loads the snapshot (null: the renderer needs no weights). */
  load(snapshotDir: string | null, signal: AbortSignal): Promise<void>;
  render(request: RenderRequest, signal: AbortSignal, onStep?: (step: RenderStep) => void): Promise<RenderResult>;
  /**
   * Called with true when the renderer can no longer render (its worker died or its GPU context is
   * poisoned) and with false once it has recovered.
   */
  onDefunct(listener: (defunct: boolean, reason: string) => void): void;
  close(): Promise<void>;
}

export interface RenderResult {
  video: Buffer;
  /** Peak accelerator memory of this render, when the renderer knows it. */
  peakVramBytes?: number;
}

/** The renderer failed through no fault of the request (a crash, a poisoned GPU). */
export class RendererFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RendererFailure';
  }
}
