import type { ModelCapabilitiesObject } from './dto/model-capabilities.dto.js';
import type { ModelCapabilities } from './model-capabilities.js';
import { segmentSeconds } from './segment-plan.js';
import { aspectRatiosOf } from './aspect-plan.js';

/** The public shape of a model's capabilities, for the admin overrides and GET /v1/models alike. */
export function presentCapabilities(id: string | null, model: string, source: 'override' | 'default', c: ModelCapabilities): ModelCapabilitiesObject {
  return {
    object: 'model_capabilities',
    id,
    model,
    source,
    sizes: c.sizes as ModelCapabilitiesObject['sizes'],
    fps: c.fps,
    frames: c.frames,
    max_prompt_chars: c.max_prompt_chars,
    honours: c.honours,
    segment_seconds: segmentSeconds(c),
    aspect_ratios: aspectRatiosOf(c),
  };
}
