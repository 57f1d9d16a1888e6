import { greyPng } from './blank-image.js';
import type { Renderer, RenderRequest, RenderResult } from './renderer.js';
import { renderVideoCached } from './render-cache.js';

/**
 * The ffmpeg test card: a real H.264 MP4 moving over the input image, rendered at whatever size,
 * fps and frame count is asked (or at `renderSize`, a model with the wrong size). For development,
 * tests and the sandbox; it loads no weights.
 */
export function testCardRenderer(opts: { renderSize: () => { width: number; height: number } | null }): Renderer {
  return {
    name: 'test-card',
    // Tiny: it only proves ffmpeg runs.
    warmUp: { image: greyPng(16, 16), prompt: 'warm-up', width: 16, height: 16, fps: 1, frames: 1, seed: 0 },
    refuse: () => null,
    load: () => Promise.resolve(),
    async render(request: RenderRequest, signal: AbortSignal): Promise<RenderResult> {
      const { width, height } = opts.renderSize() ?? request;
      const video = await renderVideoCached({
        image: request.image,
        durationSeconds: request.frames / request.fps,
        frames: request.frames,
        fps: request.fps,
        width,
        height,
        camera: request.camera,
        seed: request.seed,
        signal,
      });
      return { video };
    },
    onDefunct: () => {},
    close: () => Promise.resolve(),
  };
}
