import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MODEL_CHOICE } from '../../backends/index.js';
import { CROSSFADE_SECONDS, FITS, TRANSITIONS, type Fit, type Transition } from '../../model-capabilities/index.js';
import { IsStringMap } from '../../platform/http/string-map.validator.js';
import { EXAMPLE_IMAGE } from '../../platform/openapi/examples.js';
import {
  ASPECT_RATIOS,
  CAMERA_MOTIONS,
  MAX_DURATION_SECONDS,
  MAX_EXTRA_OUTPUTS,
  MAX_SEGMENTS,
  MAX_VARIANTS,
  OUTPUT_RESOLUTIONS,
  FRAME_RATES,
  type AspectRatio,
  type FrameRate,
  type OutputResolution,
} from '../../core/video-format.js';

export const AUDIO_TRACKS = ['none', 'silent'] as const;

/** Multipart sends metadata as a JSON string; JSON bodies send an object. */
const parseJsonObject = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/**
 * The same for a nested DTO (or a list of them): @Type converts only what arrives as objects, so
 * what a form sent as JSON text is made an instance here, or its fields would read as unknown.
 */
const parseJsonAs =
  (cls: new () => object) =>
  ({ value }: { value: unknown }) => {
    const items = Array.isArray(value) ? value.map((v) => parseJsonObject({ value: v })) : parseJsonObject({ value });
    if (Array.isArray(items)) return items.map((v) => (v && typeof v === 'object' && !(v instanceof cls) ? plainToInstance(cls, v) : v));
    return items && typeof items === 'object' && !(items instanceof cls) ? plainToInstance(cls, items) : items;
  };

/** One shot of a storyboard: rendered from the previous shot's last frame. */
export class VideoSegmentDto {
  @ApiProperty({ maxLength: 2000, example: 'The mug turns slowly to show its handle.', description: 'What happens in this segment (up to 2,000 characters).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  prompt: string;

  @ApiProperty({
    minimum: 1,
    maximum: MAX_DURATION_SECONDS,
    example: 5,
    description: 'At most one clip of the serving model (Wan 2.2: 5 s); see `segment_seconds` in GET /v1/models.',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DURATION_SECONDS)
  duration_seconds: number;
}

/** Where a crop is centred: fractions of the rendered frame, from the top left. */
export class FocusPointDto {
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.5, description: '0 is the left edge, 1 the right.' })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  x: number;

  @ApiProperty({ minimum: 0, maximum: 1, example: 0.3, description: '0 is the top edge, 1 the bottom.' })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  y: number;
}

/** One more file of the same render, in another ratio. */
export class VideoOutputDto {
  @ApiProperty({ enum: ASPECT_RATIOS, example: '1:1', description: "An extra aspect ratio to cut from the same render (not the video's own `aspect_ratio`)." })
  @IsIn(ASPECT_RATIOS)
  aspect_ratio: AspectRatio;

  @ApiPropertyOptional({
    enum: FITS,
    default: 'crop',
    example: 'crop',
    description: 'As `fit` on the video: `crop` around `focus`, or `pad` on a blurred copy of the frame.',
  })
  @IsOptional()
  @IsIn(FITS)
  fit?: Fit;

  @ApiPropertyOptional({ type: FocusPointDto, description: 'The point a `crop` keeps in view (default the centre). Only with `fit: "crop"`.' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FocusPointDto)
  focus?: FocusPointDto;
}

export class CreateVideoDto {
  @ApiProperty({
    maxLength: 2000,
    example: 'The camera slowly pushes in as steam rises from the coffee cup.',
    description: 'What should happen in the video, starting from the image (up to 2,000 characters; newlines kept).',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  prompt: string;

  @ApiPropertyOptional({
    description:
      'The start frame: an https URL, a `data:image/...;base64,` URI, or an uploaded `file_` id. With multipart, send the file in the `image` part instead.',
    example: EXAMPLE_IMAGE,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20 * 1024 * 1024)
  image?: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 2000,
    description: 'What the video should not show. Passed to models that honour it (Wan 2.2 does); refused with `unsupported_by_model` by one that does not.',
    example: 'blurry, distorted hands, text overlay',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  negative_prompt?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_DURATION_SECONDS,
    default: 5,
    example: 5,
    description:
      "Rounded up to a frame count the serving model makes: Wan 2.2 at 16 fps makes 4k+1 frames, so 5 s is 81 frames (5.06 s). Longer than one clip of the model (`segment_seconds` in GET /v1/models), the video is rendered as chained segments, each from the previous one's last frame with the same prompt and seed, and stitched without repeating the boundary frame (15 s on Wan 2.2: 3 × 81 − 2 = 241 frames). At most the plan's `max_duration_seconds`. `frames` and `fps` on the video say what will be produced.",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DURATION_SECONDS)
  duration_seconds?: number;

  @ApiPropertyOptional({
    type: [VideoOutputDto],
    maxItems: MAX_EXTRA_OUTPUTS,
    description:
      "More files of the same render in other ratios, each cropped or padded from the model's render in our post-production and listed in `output.outputs` — the render is made (and charged) once; the steps' price is in GET /v1/pricing (`post_production`).",
    example: [
      { aspect_ratio: '1:1', fit: 'crop', focus: { x: 0.5, y: 0.4 } },
      { aspect_ratio: '4:5', fit: 'pad' },
    ],
  })
  @IsOptional()
  @Transform(parseJsonAs(VideoOutputDto))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EXTRA_OUTPUTS)
  @ValidateNested({ each: true })
  @Type(() => VideoOutputDto)
  outputs?: VideoOutputDto[];

  @ApiPropertyOptional({
    type: [VideoSegmentDto],
    maxItems: MAX_SEGMENTS,
    description:
      "A storyboard: shots rendered in order, each its own GPU job from the previous shot's last frame, stitched into one video. `duration_seconds`, when also given, must equal their sum; the plan's `max_duration_seconds` caps the sum.",
    example: [
      { prompt: 'The camera slowly pushes in on the coffee cup.', duration_seconds: 5 },
      { prompt: 'Steam rises as the cup turns towards the window.', duration_seconds: 5 },
    ],
  })
  @IsOptional()
  @Transform(parseJsonAs(VideoSegmentDto))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SEGMENTS)
  @ValidateNested({ each: true })
  @Type(() => VideoSegmentDto)
  segments?: VideoSegmentDto[];

  @ApiPropertyOptional({
    enum: TRANSITIONS,
    default: 'cut',
    example: 'crossfade',
    description: `How a chained video's segments are joined (only for a video longer than one clip, or a storyboard): \`cut\` — the next segment goes on from the previous one's last frame, which is not shown twice; \`crossfade\` — the last ${CROSSFADE_SECONDS} s of a segment fade into the first ${CROSSFADE_SECONDS} s of the next, which overlap, so the video is that much shorter per boundary (\`frames\` on the video says exactly). Charged as the seconds rendered, like a cut.`,
  })
  @IsOptional()
  @IsIn(TRANSITIONS)
  transition?: Transition;

  @ApiPropertyOptional({
    enum: OUTPUT_RESOLUTIONS,
    default: '480p',
    example: '480p',
    description:
      "At most the plan's `max_resolution` (the free plan's is 480p); `1080p` with a plan that allows 720p. A resolution the serving model does not render (1080p; 720p on a model without it) is rendered at the largest one below it and upscaled in our post-production (step `upscale`, method `lanczos`: resampling, no detail invented), priced in video-seconds (GET /v1/pricing, `post_production`). 1080p is billed at the 720p rate.",
  })
  @IsOptional()
  @IsIn(OUTPUT_RESOLUTIONS)
  resolution?: OutputResolution;

  @ApiPropertyOptional({
    enum: FRAME_RATES,
    example: 30,
    description:
      "Frames a second, above the model's own (Wan 2.2 renders 16): the frames between are made by motion-compensated interpolation in our post-production (step `interpolate`, method `motion`), priced in video-seconds (GET /v1/pricing, `post_production`), for videos up to VIDEO_INTERPOLATE_MAX_SECONDS (15 s by default). Left out: the model's own rate.",
  })
  @IsOptional()
  @Type(() => Number)
  @IsIn(FRAME_RATES)
  fps?: FrameRate;

  @ApiPropertyOptional({
    enum: ASPECT_RATIOS,
    default: '16:9',
    example: '16:9',
    description:
      'A ratio the serving model renders itself is rendered as is; any other is rendered in its nearest native size and then cropped or padded to the ratio (`fit`), in our post-production: see `aspect_ratios` in GET /v1/models. The output names the step.',
  })
  @IsOptional()
  @IsIn(ASPECT_RATIOS)
  aspect_ratio?: AspectRatio;

  @ApiPropertyOptional({
    enum: FITS,
    default: 'crop',
    example: 'crop',
    description:
      'How an `aspect_ratio` the model does not render is made from its nearest native render: `crop` keeps the largest window of the ratio (around `focus`), `pad` keeps the whole frame on a blurred, enlarged copy of itself. Ignored for a ratio the model renders itself.',
  })
  @IsOptional()
  @IsIn(FITS)
  fit?: Fit;

  @ApiPropertyOptional({
    type: FocusPointDto,
    description: 'The point a `crop` keeps in view (default the centre, 0.5/0.5). Only with `fit: "crop"`.',
    example: { x: 0.5, y: 0.3 },
  })
  @IsOptional()
  @Transform(parseJsonAs(FocusPointDto))
  @IsObject()
  @ValidateNested()
  @Type(() => FocusPointDto)
  focus?: FocusPointDto;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_VARIANTS,
    example: 3,
    description:
      'Variants: this many videos of the same request, each with its own seed (`seed`, `seed`+1, … when a seed is given; drawn at random otherwise), each its own video sharing a `group_id`, and each charged as its own render. All are checked and reserved together: when the plan cannot take all of them (concurrent videos, included seconds, a spend cap), none is created. With `n`, the response is a `video_group` holding the videos; list them later with `GET /v1/videos?group_id=`.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_VARIANTS)
  n?: number;

  @ApiPropertyOptional({
    enum: AUDIO_TRACKS,
    default: 'none',
    example: 'silent',
    description:
      "The serving model renders no sound, and we generate none. `none`: the MP4 has no audio stream (as the model made it). `silent`: a silent AAC track of the video's length is added (step `audio`), for players and platforms that refuse a video without one.",
  })
  @IsOptional()
  @IsIn(AUDIO_TRACKS)
  audio?: (typeof AUDIO_TRACKS)[number];

  @ApiPropertyOptional({
    maxLength: 2048,
    example: 'file_01jd3v8m7k2q9x4r5s6t7v8w9x',
    description:
      "Your sound track: a `file_` id uploaded with `purpose=audio`, or an https URL (fetched once, when the video is created, from public addresses only; at most AUDIO_MAX_BYTES, fetched within AUDIO_FETCH_TIMEOUT_MS). MP3, AAC, M4A or WAV, checked by its bytes and read with ffprobe; at most AUDIO_MAX_SECONDS (600 s by default). It is looped when shorter than the video and cut when longer, to the video's exact length, faded in and out (0.5 s), normalised to -16 LUFS integrated loudness (EBU R128, true peak -1.5 dBTP) and muxed as AAC (step `audio`, `source` `file` or `url`; in every file of `outputs` too). Priced in video-seconds (GET /v1/pricing, `post_production`). Leave out `audio` with it. Refused with 4xx `audio_…` codes when it is not audio, too long, too large, or a URL we must not or cannot fetch.",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  audio_file?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 4294967295, example: 42, description: 'Same seed and inputs reproduce the same video on the same model.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(4294967295)
  seed?: number;

  @ApiPropertyOptional({
    enum: CAMERA_MOTIONS,
    example: 'zoom_in',
    description: 'Camera motion hint, for models with camera control (see `honours` in GET /v1/models).',
  })
  @IsOptional()
  @IsIn(CAMERA_MOTIONS)
  camera?: (typeof CAMERA_MOTIONS)[number];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { sku: 'MUG-1042' },
    description: 'Up to 16 string pairs, returned as given.',
  })
  @IsOptional()
  @Transform(parseJsonObject)
  @IsObject()
  @IsStringMap()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({
    type: String,
    default: 'winner',
    example: 'winner',
    pattern: MODEL_CHOICE.source,
    description:
      '`"winner"` renders with the crowned king at the time the video runs (it may change between submission and rendering). `"<repo>@<digest>"` pins one model by snapshot digest: accepted while a backend serves it (`model_not_servable` otherwise, naming the models that can be pinned), and rendered only there.',
  })
  @IsOptional()
  @IsString()
  @Matches(MODEL_CHOICE, { message: 'must be "winner" or "<repo>@<sha256:…|hf:…>"' })
  model?: string;

  @ApiPropertyOptional({
    description: "Also send this video's events to this https URL, signed with the tenant's default webhook secret (`GET /v1/webhook-secret`).",
    example: 'https://example.com/hooks/leoma',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  webhook_url?: string;

  @ApiPropertyOptional({
    description:
      "A destination (`dst_…`, `POST /v1/destinations`) of the key's mode: when the video succeeds, its files are copied to that bucket (see `delivery` on the video).",
    example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  destination?: string;

  @ApiPropertyOptional({
    description:
      "The object key of the video in the destination, after its prefix; placeholders `{video_id}` (and, for batch items, `{custom_id}`, `{batch_id}`). The raw render, extra ratios, poster and thumbnail are written beside it (`.raw.mp4`, `.1.mp4`, `.jpg`, `.webp`). No `..` segments or leading '/'. Default `{video_id}.mp4`.",
    example: 'videos/{video_id}.mp4',
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  destination_key?: string;

  @ApiPropertyOptional({
    minimum: 1,
    example: 600,
    description:
      "How long the video may wait for a slot when all of your plan's concurrent videos are in progress: it is accepted as `queued` with `start_by` this far ahead and starts when a slot frees; if none has by then it ends `expired`, never charged. Default and maximum: the plan's `max_queue_seconds`.",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(30 * 86_400)
  max_queue_seconds?: number;
}
