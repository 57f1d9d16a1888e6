import { BackendError, type BackendOutput, type DispatchResult } from '../backends/index.js';
import { ProbeStarved, probeVideo, type VideoProbe } from '../platform/media/ffprobe.js';
import { validateVideo, type ExpectedVideo } from '../platform/media/video-validation.js';
import type { Video, VideoProvenance } from './video.entity.js';

/**
 * ffprobe on the output file: the container, codec, size, rate and frame count we asked for, or
 * output_invalid. A starved probe (ProbeStarved) is passed on as it is: it judged nothing.
 */
export async function checkOutput(mp4: Pick<BackendOutput, 'path'>, want: ExpectedVideo): Promise<VideoProbe> {
  const probe = await probeVideo(mp4.path).catch((e: Error) => {
    if (e instanceof ProbeStarved) throw e;
    throw new BackendError('output_invalid', `output is not a readable video: ${e.message}`);
  });
  const verdict = validateVideo(probe, want);
  if (!verdict.ok) throw new BackendError('output_invalid', verdict.reason);
  return probe;
}

/** Which model, miner and backend a dispatch ran on, as the video records it. */
export function provenanceOf(video: Pick<Video, 'modelPin'>, result: DispatchResult<unknown>): VideoProvenance {
  return {
    model: result.model.model,
    model_revision: result.model.model_revision ?? result.backend.modelRevision,
    miner_hotkey: result.model.miner_hotkey,
    miner_uid: result.model.miner_uid,
    ranking_block: result.ranking.block,
    backend_id: result.backend.id,
    attested_model: result.attested,
    model_rule: video.modelPin ? 'pin' : 'winner',
  };
}
