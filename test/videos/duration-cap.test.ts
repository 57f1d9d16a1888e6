import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { MAX_DURATION_SECONDS } from '../../src/core/video-format.js';
import { CreateVideoDto } from '../../src/videos/dto/create-video.dto.js';
import { LimitOverridesDto } from '../../src/tenants/dto/limit-overrides.dto.js';
import { videosEnv } from '../../src/videos/videos.env.js';

// One ceiling for a video's length: the spec, the request validation, the plan overrides and the
// platform's env cap all come from MAX_DURATION_SECONDS (they used to say 10, 60, 60 and 60).
const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as {
  components: { schemas: Record<string, { properties: Record<string, { maximum?: number }> }> };
};

async function durationErrors(seconds: number): Promise<string[]> {
  const dto = plainToInstance(CreateVideoDto, { prompt: 'x', image: 'https://example.com/a.png', duration_seconds: seconds });
  return (await validate(dto)).filter((e) => e.property === 'duration_seconds').flatMap((e) => Object.keys(e.constraints ?? {}));
}

describe('the duration cap', () => {
  it('is the maximum the spec publishes for a video and for plan overrides', () => {
    expect(spec.components.schemas.CreateVideoDto!.properties.duration_seconds!.maximum).toBe(MAX_DURATION_SECONDS);
    expect(spec.components.schemas.LimitOverridesDto!.properties.max_duration_seconds!.maximum).toBe(MAX_DURATION_SECONDS);
  });

  it('is what request validation accepts, and one more is refused', async () => {
    expect(await durationErrors(MAX_DURATION_SECONDS)).toEqual([]);
    expect(await durationErrors(MAX_DURATION_SECONDS + 1)).toEqual(['max']);
  });

  it('bounds plan overrides and the platform env cap', async () => {
    const over = plainToInstance(LimitOverridesDto, { max_duration_seconds: MAX_DURATION_SECONDS + 1 });
    expect((await validate(over)).map((e) => e.property)).toEqual(['max_duration_seconds']);
    expect(videosEnv.load({ VIDEO_MAX_DURATION_SECONDS: String(MAX_DURATION_SECONDS) }).VIDEO_MAX_DURATION_SECONDS).toBe(MAX_DURATION_SECONDS);
    expect(() => videosEnv.load({ VIDEO_MAX_DURATION_SECONDS: String(MAX_DURATION_SECONDS + 1) })).toThrow(/VIDEO_MAX_DURATION_SECONDS/);
  });
});
