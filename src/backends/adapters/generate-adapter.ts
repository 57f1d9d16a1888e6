import { injectTraceHeaders } from '../../platform/tracing/job-trace-context.js';
import { generateHealth, runGenerate } from '../gpu/generate-client.js';
import { authHeaders, type BackendAdapter } from './backend-adapter.js';

export const generateAdapter: BackendAdapter = {
  generate(backend, req, opts) {
    return runGenerate(
      backend.url,
      req.predictionId,
      {
        prompt: req.prompt,
        negative_prompt: req.negativePrompt,
        image: req.image.toString('base64'),
        fps: req.fps,
        frames: req.frames,
        resolution: `${req.width}x${req.height}`,
        model: req.model,
      },
      { ...opts, headers: injectTraceHeaders(authHeaders(backend)) },
    );
  },

  // The protocol has no cancel call: aborting the request (the caller's signal) is all there is.
  cancel: async () => undefined,

  health: (backend, timeoutMs) => generateHealth(backend.url, timeoutMs, authHeaders(backend)),
};
