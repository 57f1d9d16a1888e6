import { describe, expect, it } from 'vitest';
import type { components } from '../../sdk/js/src/schema.js';

// Issue 31's options are in the typed client: this file type-checks (tsc covers test/) only while
// the generated request types carry every one of them, and each value below is one the API takes.
type CreateVideo = components['schemas']['CreateVideoDto'];
type UploadSpec = components['schemas']['UploadSpecDto'];

const everyOption = {
  prompt: 'a mug turning',
  image: 'file_01jd3v8m7k2q9x4r5s6t7v8w9x',
  duration_seconds: 15,
  segments: [
    { prompt: 'a mug', duration_seconds: 5 },
    { prompt: 'a mug turning', duration_seconds: 10 },
  ],
  transition: 'crossfade',
  aspect_ratio: '1:1',
  fit: 'crop',
  focus: { x: 0.5, y: 0.4 },
  outputs: [{ aspect_ratio: '9:16', fit: 'pad' }],
  resolution: '1080p',
  fps: 30,
  audio_file: 'file_01jd3v8m7k2q9x4r5s6t7v8w9y',
  n: 3,
  seed: 42,
} satisfies CreateVideo;

const audioUpload = { purpose: 'audio', content_type: 'audio/mpeg', bytes: 48_000, filename: 'jingle.mp3' } satisfies UploadSpec;

describe('the typed client', () => {
  it('types every post-production option of a video request and a presigned sound-track upload', () => {
    expect(Object.keys(everyOption)).toEqual(expect.arrayContaining(['segments', 'transition', 'fit', 'focus', 'outputs', 'fps', 'audio_file', 'n']));
    expect(audioUpload.purpose).toBe('audio');
  });
});
