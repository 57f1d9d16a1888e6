import { injectTraceHeaders } from '../../platform/tracing/job-trace-context.js';
import { cancelCogPrediction, cogHealth, runCogPrediction } from '../gpu/cog-client.js';
import type { BackendTarget } from '../gpu-backend.entity.js';
import type { BackendOutput } from '../gpu/output-file.js';
import { authHeaders, type BackendAdapter, type CallOptions, type GenerationRequest } from './backend-adapter.js';

export const cogAdapter: BackendAdapter = {
  generate(backend: BackendTarget, req: GenerationRequest, opts: CallOptions): Promise<BackendOutput> {
    return runCogPrediction(
      backend.url,
      req.predictionId,
      {
        image: `data:${req.imageType};base64,${req.image.toString('base64')}`,
        prompt: req.prompt,
        negative_prompt: req.negativePrompt,
        // Both: a Wan predictor reads num_frames; duration_seconds keeps predictors that only know seconds working.
        duration_seconds: req.frames / req.fps,
        num_frames: req.frames,
        fps: req.fps,
        width: req.width,
        height: req.height,
        camera: req.camera,
        seed: req.seed,
        model: req.model,
      },
      { ...opts, headers: injectTraceHeaders(authHeaders(backend)) },
    );
  },

  cancel: (backend, predictionId) => cancelCogPrediction(backend.url, predictionId, authHeaders(backend)),

  health: (backend, timeoutMs) => cogHealth(backend.url, timeoutMs, authHeaders(backend)),
};
