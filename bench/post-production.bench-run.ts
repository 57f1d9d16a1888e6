import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { renderVideo } from '../gpu/server/render.js';
import { makeImage } from '../test/support/images.js';
import { applyAspectStep } from '../src/platform/media/aspect-steps.js';
import { stitchSegments } from '../src/platform/media/video-chain.js';
import { addSilentAudio, applyEnhanceStep } from '../src/platform/media/enhance-steps.js';
import { addAudioTrack } from '../src/platform/media/audio-track.js';
import { execFileSync } from 'node:child_process';
import { POST_PRODUCTION_STEPS } from '../src/core/post-production.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * CPU seconds of this process's finished children (utime + stime from /proc/self/stat): ffmpeg's
 * own work, which the machine's load changes far less than wall time.
 */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ", field 3 is state; cutime and cstime are fields 16 and 17 (1-based), in clock ticks (100/s).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * Each post-production step of the worker, run on Wan 2.2's clip (832×480, 81 frames at 16 fps),
 * with the same functions the worker calls: CPU seconds per second of video, the median of
 * BENCH_RUNS. src/core/post-production.ts carries the result into the price list.
 */
it('post-production CPU time per second of video', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'leoma-post-bench-'));
  try {
    const clip = join(dir, 'clip.mp4');
    await writeFile(
      clip,
      await renderVideo({ image: makeImage('png', '832x480'), durationSeconds: 81 / 16, frames: 81, fps: 16, width: 832, height: 480, camera: 'zoom_in' }),
    );
    const render = { width: 832, height: 480 };
    // A customer's track: 3 s of tone, looped over the clip (the loop, two loudnorm passes and the AAC encode are the step's work).
    const track = join(dir, 'track.mp3');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', track]);
    const steps: Record<string, { seconds: number; run: () => Promise<void> }> = {
      stitch: { seconds: 241 / 16, run: () => stitchSegments(Array(3).fill({ path: clip, frames: 81 }), 16, join(dir, 'stitched.mp4')) },
      crop: {
        seconds: 81 / 16,
        run: () => applyAspectStep(clip, join(dir, 'crop.mp4'), { name: 'crop', width: 480, height: 480, focus: { x: 0.5, y: 0.5 } }, render, 16),
      },
      pad: { seconds: 81 / 16, run: () => applyAspectStep(clip, join(dir, 'pad.mp4'), { name: 'pad', width: 832, height: 832, fill: 'blur' }, render, 16) },
      // The price list's upscale is 720p → 1080p; this 480p → 720p run is its lower bound.
      upscale: { seconds: 81 / 16, run: () => applyEnhanceStep(clip, join(dir, 'upscale.mp4'), { name: 'upscale', width: 1248, height: 720 }, 16) },
      interpolate: { seconds: 81 / 16, run: () => applyEnhanceStep(clip, join(dir, 'interpolate.mp4'), { name: 'interpolate', fps: 30, frames: 151 }, 30) },
      audio: { seconds: 81 / 16, run: () => addSilentAudio(clip, join(dir, 'audio.mp4')) },
      audio_file: { seconds: 81 / 16, run: () => addAudioTrack(clip, track, join(dir, 'audio-file.mp4'), { frames: 81, fps: 16 }) },
    };
    const rows = [];
    for (const [step, { seconds, run }] of Object.entries(steps)) {
      const perSecond: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const before = childCpuSeconds();
        await run();
        perSecond.push((childCpuSeconds() - before) / seconds);
      }
      // `audio` is the silent track; `audio_file` the customer's (the audio step with source `file`).
      const listed = POST_PRODUCTION_STEPS.find((s) =>
        step === 'audio_file' ? s.step === 'audio' && 'source' in s && s.source === 'file' : s.step === step,
      )!.cpu_seconds_per_video_second;
      rows.push({ step, cpu_seconds_per_video_second: +median(perSecond).toFixed(3), listed });
    }
    console.log(
      `\npost-production, CPU s per video-second (median of ${RUNS}):\n${rows.map((r) => `  ${r.step}: ${r.cpu_seconds_per_video_second} (listed ${r.listed})`).join('\n')}\n`,
    );
    if (process.env.BENCH_OUT) await writeFile(process.env.BENCH_OUT, JSON.stringify(rows, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
