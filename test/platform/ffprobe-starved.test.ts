import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioProbeError, probeAudio } from '../../src/platform/media/audio-probe.js';
import { probeVideo, VideoProbeError } from '../../src/platform/media/ffprobe.js';
import { mediaEnv } from '../../src/platform/media/media.env.js';

/**
 * A probe that runs out of time tells us about the file only when it spent that time working. A
 * real ffprobe is made slow without spinning (its input a FIFO nobody writes: it waits, using no
 * CPU) and, the other way, kept busy by an endless input; a report over its cap is the file's too.
 */
let dir: string;
let fifoCount = 0;
const writers: { path: string; destroy(): void }[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leoma-probe-starved-'));
});
afterEach(() => {
  for (const w of writers.splice(0)) {
    // A writer still waiting for a reader holds a thread of the pool: a reader opened and closed lets it go.
    closeSync(openSync(w.path, constants.O_RDONLY | constants.O_NONBLOCK));
    w.destroy();
  }
  delete process.env.MEDIA_PROBE_TIMEOUT_MS;
  delete process.env.MEDIA_PROBE_CPU_MS;
  mediaEnv.reload();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function limits(env: { MEDIA_PROBE_TIMEOUT_MS?: string; MEDIA_PROBE_CPU_MS?: string }): void {
  Object.assign(process.env, env);
  mediaEnv.reload();
}

function fifo(ext: string): string {
  const path = join(dir, `input-${++fifoCount}.${ext}`);
  execFileSync('mkfifo', [path]);
  return path;
}

/** A FIFO fed `chunk` over and over until its reader goes away: a file with no end, which ffprobe demuxes as fast as it can. */
function endless(ext: string, chunk: Buffer): string {
  const path = fifo(ext);
  const out = createWriteStream(path);
  out.on('error', () => undefined); // EPIPE once ffprobe is killed
  const feed = () => {
    while (!out.destroyed && out.write(chunk));
  };
  out.on('drain', feed);
  out.on('open', feed);
  writers.push({ path, destroy: () => out.destroy() });
  return path;
}

function made(name: string, args: string[]): Buffer {
  const path = join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, path]);
  return readFileSync(path);
}

/** What a probe threw, for asserting on its kind. */
async function failure(probe: Promise<unknown>): Promise<Error> {
  return probe.then(
    () => {
      throw new Error('the probe passed');
    },
    (e: Error) => e,
  );
}

describe('a probe out of time', () => {
  it('starved (a video it waited on and never read) is ProbeStarved, not the file’s fault', async () => {
    limits({ MEDIA_PROBE_TIMEOUT_MS: '300' });
    const e = await failure(probeVideo(fifo('mp4')));
    expect(e.name).toBe('ProbeStarved');
    expect(e).not.toBeInstanceOf(VideoProbeError);
    expect(e.message).toMatch(/exceeded 300 ms \(\d+ ms of CPU\)/);
  });

  it('starved on a sound track the same way: ProbeStarved, not AudioProbeError', async () => {
    limits({ MEDIA_PROBE_TIMEOUT_MS: '300' });
    const e = await failure(probeAudio(fifo('mp3')));
    expect(e.name).toBe('ProbeStarved');
    expect(e).not.toBeInstanceOf(AudioProbeError);
  });

  it('kept busy by an endless video is refused once it spends its CPU budget, however long that takes', async () => {
    // The wall limit is far off: only the CPU the probe really used decides, whatever the machine's load.
    limits({ MEDIA_PROBE_TIMEOUT_MS: '600000', MEDIA_PROBE_CPU_MS: '200' });
    const ts = made('chunk.ts', ['-f', 'lavfi', '-i', 'color=c=red:s=64x64:r=25:d=4', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-f', 'mpegts']);
    const e = await failure(probeVideo(endless('ts', ts)));
    expect(e).toBeInstanceOf(VideoProbeError);
    expect(e.message).toMatch(/ffprobe rejected the file \(ffprobe used over 200 ms of CPU/);
  });

  it('kept busy by an endless sound track is refused the same way', async () => {
    limits({ MEDIA_PROBE_TIMEOUT_MS: '600000', MEDIA_PROBE_CPU_MS: '200' });
    const mp3 = made('chunk.mp3', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=4', '-c:a', 'libmp3lame']);
    const e = await failure(probeAudio(endless('mp3', mp3)));
    expect(e).toBeInstanceOf(AudioProbeError);
    expect(e.message).toMatch(/used over 200 ms of CPU/);
  });
});

describe('a probe whose report is over its cap', () => {
  it('blames the file, video and sound track alike', async () => {
    // One short track mapped a thousand times: a report of well over 1 MiB, made in a moment.
    const tracks = Array.from({ length: 1000 }, () => ['-map', '0:a']).flat();
    made('many-tracks.m4a', ['-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '0.1', ...tracks, '-c:a', 'pcm_s16le', '-f', 'mov']);
    const file = join(dir, 'many-tracks.m4a');
    expect(await failure(probeVideo(file))).toBeInstanceOf(VideoProbeError);
    const audio = await failure(probeAudio(file));
    expect(audio).toBeInstanceOf(AudioProbeError);
    expect(audio.message).toMatch(/wrote more than/);
  });
});
