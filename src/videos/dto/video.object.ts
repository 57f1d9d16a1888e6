import { VideoDeliveryObject } from '../../destinations/index.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { VIDEO_STATUSES } from './list-videos.query.js';

export class FocusPointObject {
  @ApiProperty({ example: 0.5, description: 'Horizontal position, 0 (left edge) to 1 (right edge).' }) x: number;
  @ApiProperty({ example: 0.3, description: 'Vertical position, 0 (top edge) to 1 (bottom edge).' }) y: number;
}

export class VideoStepObject {
  @ApiProperty({
    enum: ['stitch', 'crop', 'pad', 'interpolate', 'upscale', 'audio'],
    description:
      "What our worker did to the model's render, by name: `stitch` (a chain's segments joined without repeating the boundary frame, by a cut or a crossfade), `crop` (to `aspect_ratio` around `focus`), `pad` (to `aspect_ratio` on a blurred copy of the frame), `interpolate` (to `fps` by `method`), `upscale` (to `width`×`height` by `method`), `audio` (a sound track added: `source` `silent`, or your `audio_file` as `file` or `url`, fitted to the video's length, faded over `fade_seconds` and normalised to `loudness_lufs` by `method` `ebu_r128`). A new tool is a new name or method, never a silent change of one.",
  })
  name: string;
  @ApiPropertyOptional({ example: 3, description: '`stitch`: how many segments.' }) segments?: number;
  @ApiPropertyOptional({ enum: ['cut', 'crossfade'], description: '`stitch`: how the segments are joined.' }) transition?: string;
  @ApiPropertyOptional({ example: 0.25, description: '`stitch` with a crossfade: how long each one lasts.' }) crossfade_seconds?: number;
  @ApiPropertyOptional({ example: '1:1', description: '`crop`, `pad`: the ratio made.' }) aspect_ratio?: string;
  @ApiPropertyOptional({ type: FocusPointObject, description: '`crop`: the point kept in view.' }) focus?: FocusPointObject;
  @ApiPropertyOptional({ enum: ['blur'], description: '`pad`: what fills the added area.' }) fill?: string;
  @ApiPropertyOptional({ example: 'lanczos', description: '`upscale`: `lanczos`; `interpolate`: `motion`; `audio` from your track: `ebu_r128`.' })
  method?: string;
  @ApiPropertyOptional({ example: 30, description: '`interpolate`: the frame rate made.' }) fps?: number;
  @ApiPropertyOptional({ example: 151, description: '`interpolate`: the frames after it.' }) frames?: number;
  @ApiPropertyOptional({
    enum: ['silent', 'file', 'url'],
    description: '`audio`: a silent track, or your sound track: an uploaded file (`file_id`) or a URL (`url`).',
  })
  source?: string;
  @ApiPropertyOptional({ example: 'file_01jd3v8m7k2q9x4r5s6t7v8w9x', description: '`audio` from a file: which.' }) file_id?: string;
  @ApiPropertyOptional({ example: 'https://example.com/music/theme.mp3', description: '`audio` from a URL: the one sent.' }) url?: string;
  @ApiPropertyOptional({ example: 0.5, description: '`audio` from your track: how long it fades in, and out.' }) fade_seconds?: number;
  @ApiPropertyOptional({ example: -16, description: '`audio` from your track: the integrated loudness it is normalised to, LUFS (EBU R128).' })
  loudness_lufs?: number;
  @ApiPropertyOptional({ example: 480, description: '`crop`, `pad`, `upscale`: the frame after the step.' }) width?: number;
  @ApiPropertyOptional({ example: 480, description: "`crop`, `pad`, `upscale`: the frame's height after the step, in pixels." }) height?: number;
}

export class ExtraOutputObject {
  @ApiProperty({ example: '1:1', description: 'The ratio this file was cut to.' }) aspect_ratio: string;
  @ApiProperty({ description: 'Short-lived presigned download URL.' }) url: string;
  @ApiProperty({ example: 480, description: 'Frame width in pixels.' }) width: number;
  @ApiProperty({ example: 480, description: 'Frame height in pixels.' }) height: number;
  @ApiProperty({ description: 'File size in bytes.' }) bytes: number;
  @ApiProperty({ description: 'Hex SHA-256 of the MP4 bytes.' }) sha256: string;
  @ApiProperty({ type: [VideoStepObject], description: "What made this file from the model's render, in order; empty: the render itself." })
  steps: VideoStepObject[];
}

export class VideoOutputObject {
  @ApiProperty({ description: 'Short-lived presigned download URL.' }) url: string;
  @ApiProperty({ format: 'date-time', description: 'When `url` (and the poster, thumbnail and raw URLs) stop working; fetch the video again for fresh ones.' })
  expires_at: string;
  @ApiProperty({ description: 'Length of the MP4 in seconds (frames ÷ fps, so 5 s at 16 fps is 5.0625).' }) duration_seconds: number;
  @ApiProperty({ description: 'Frame width in pixels.' }) width: number;
  @ApiProperty({ description: 'Frame height in pixels.' }) height: number;
  @ApiProperty({ description: 'Frames per second.' }) fps: number;
  @ApiProperty({ description: 'File size in bytes.' }) bytes: number;
  @ApiProperty({ description: 'Hex SHA-256 of the MP4 bytes.' }) sha256: string;
  @ApiProperty({ type: String, nullable: true, description: 'Short-lived URL of the first frame at full size (JPEG); null when it could not be extracted.' })
  poster_url: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Short-lived URL of a thumbnail (WebP, 320 px on the long side); null when it could not be extracted.',
  })
  thumbnail_url: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "Short-lived URL of the model's render before post-production (a crop or pad), kept beside the finished file; null when the render is the file (a chain's raw renders are its `segments`).",
  })
  raw_url: string | null;
  @ApiProperty({
    type: [VideoStepObject],
    description: 'The steps that made this file from the render, in order; empty: the file is the render as the model made it.',
  })
  steps: VideoStepObject[];
  @ApiProperty({ type: [ExtraOutputObject], description: 'The other ratios asked for in `outputs`, each its own file of the same render, in the order asked.' })
  outputs: ExtraOutputObject[];
}

export class VideoErrorObject {
  @ApiProperty({ example: 'output_invalid', description: 'Stable machine-readable reason, e.g. `output_invalid`, `generation_failed`, `backend_timeout`.' })
  code: string;
  @ApiProperty({ description: 'Human-readable explanation; may change, so branch on `code`.' }) message: string;
}

export class VideoInputObject {
  @ApiProperty({
    enum: ['url', 'data_uri', 'file', 'upload'],
    description: 'How the start frame was given: an `image` URL, a data URI, a multipart file part, or an uploaded `file_…` id.',
  })
  source: string;
  @ApiPropertyOptional({ description: 'The image URL sent (only for `source: url`).' }) url?: string;
  @ApiPropertyOptional({ description: 'The uploaded file used (only for `source: upload` or `file`).' }) file_id?: string;
  @ApiProperty({ description: 'Media type of the image, detected from its bytes.' }) content_type: string;
  @ApiProperty({ description: 'Image width in pixels.' }) width: number;
  @ApiProperty({ description: 'Image height in pixels.' }) height: number;
  @ApiProperty({ description: 'Image size in bytes.' }) bytes: number;
}

export class AttestedModelObject {
  @ApiProperty({ example: 'kingmaker/leoma-wan22', description: 'Model repository the backend reports it rendered with.' }) repo: string;
  @ApiProperty({
    example: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e',
    description: '`sha256:` (Hippius OCI snapshot) or `hf:` (Hugging Face commit).',
  })
  digest: string;
}

export class VideoProvenanceObject {
  @ApiProperty({ example: 'leoma/reference-i2v', description: 'Model reference (repository) that generated the video.' }) model: string;
  @ApiProperty({ type: String, nullable: true, description: 'Revision or digest of the model.' }) model_revision: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'SS58 hotkey of the miner whose model it is; null when the ranking came from configuration.' })
  miner_hotkey: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Subnet uid of the miner whose model it is; null when the ranking came from configuration.' })
  miner_uid: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Chain block of the ranking that chose the model.' }) ranking_block: number | null;
  @ApiProperty({ description: 'GPU backend that rendered it.' }) backend_id: string;
  @ApiProperty({
    type: AttestedModelObject,
    nullable: true,
    description:
      'The model (repository and snapshot digest) the GPU backend attests rendered the video, checked against the digest it was asked for. Null: unattested (a backend configured without a model that named none, or a video from before backends attested).',
  })
  attested_model: AttestedModelObject | null;
  @ApiPropertyOptional({
    enum: ['winner', 'pin'],
    description: 'Which rule picked the model: the king when the video ran, or the `model` pin (absent on videos from before pins).',
  })
  model_rule?: 'winner' | 'pin';
  @ApiPropertyOptional({
    type: [VideoStepObject],
    description: "Our post-production on the model's render, in order (absent on videos from before it was recorded).",
  })
  steps?: VideoStepObject[];
}

export class VideoCostObject {
  @ApiProperty({ description: 'Minor units of `currency` (cents for usd), fixed when the video succeeded.' }) amount: number;
  @ApiProperty({ example: 'usd', description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ description: "Seconds taken from the period's included seconds." }) included_seconds_used: number;
  @ApiProperty({ description: 'Seconds billed as overage.' }) overage_seconds: number;
  @ApiProperty({ description: 'Part of `amount` paid from prepaid credits.' }) credits_applied: number;
  @ApiProperty({
    example: 0,
    description:
      'Of the seconds charged (`included_seconds_used` + `overage_seconds`), those its priced post-production steps added (an upscale, an interpolation; GET /v1/pricing); the rest are its own.',
  })
  post_production_seconds: number;
}

export class VideoSegmentObject {
  @ApiProperty({ example: 0, description: '0-based position in the chain.' }) index: number;
  @ApiProperty({ description: 'The prompt this segment was rendered from.' }) prompt: string;
  @ApiProperty({ example: 5, description: 'The seconds it adds, and is billed for.' }) duration_seconds: number;
  @ApiProperty({
    example: 81,
    description: "Frames the model renders for it; every segment after the first starts on the previous one's last frame, which stitching does not repeat.",
  })
  frames: number;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'], description: "This segment's progress; the video fails if a segment does." })
  status: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "Short-lived URL of the segment's raw render once delivered (the first one is the video's preview while the rest renders); null before, and on a canceled video.",
  })
  url: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'GPU backend that rendered it.' }) backend_id: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "Its part of the video's `cost.amount` (minor units, before credits) once the video is finished; null before.",
  })
  amount: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "When the segment's render was delivered; null until then." }) completed_at:
    | string
    | null;
}

export class VideoObject {
  @ApiProperty({ example: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the video (`vid_…`).' }) id: string;
  @ApiProperty({ enum: ['video'], description: "String naming the object's type: always `video`." }) object: 'video';
  @ApiProperty({
    enum: VIDEO_STATUSES,
    description:
      '`queued` until a GPU takes it, `running` while it renders, then one of the terminal statuses `succeeded` (with `output`), `failed` (with `error`, not charged) or `canceled` (not charged).',
  })
  status: string;
  @ApiProperty({ description: '`true` when made with a live key (billed), `false` with a test key (the sandbox).' }) livemode: boolean;
  @ApiProperty({ description: "The prompt as sent (a storyboard's first segment's prompt)." }) prompt: string;
  @ApiProperty({ description: 'Length asked for, in seconds; `output.duration_seconds` is the exact length made.' }) duration_seconds: number;
  @ApiProperty({ description: 'Resolution asked for (`480p` or `720p`); `width` and `height` are the frame size it means.' }) resolution: string;
  @ApiProperty({ description: 'Frame shape asked for, e.g. `16:9`; a ratio the model does not render natively is cropped or padded (see `fit`).' })
  aspect_ratio: string;
  @ApiProperty({ example: 832, description: 'Frame size the serving model renders for this resolution and aspect ratio.' }) width: number;
  @ApiProperty({ example: 480, description: 'Frame height in pixels the serving model renders for this resolution and aspect ratio.' }) height: number;
  @ApiProperty({ example: 16, description: 'Frames per second of the output.' }) fps: number;
  @ApiProperty({ example: 81, description: 'Frames that will be produced: duration_seconds × fps rounded up to a count the model makes.' }) frames: number;
  @ApiProperty({ type: String, nullable: true, description: 'What the video should not show, as sent; null when none.' }) negative_prompt: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'The seed it is rendered with: the one asked for, else one drawn at creation, so a good take can be made again. Null only for a model that takes no seed.',
  })
  seed: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Camera motion hint as sent; null when none.' }) camera: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Your key-value pairs, returned as sent (and in webhook events); we never read them.',
  })
  metadata: Record<string, string>;
  @ApiProperty({ type: VideoInputObject, description: 'The start frame the video was made from.' }) input: VideoInputObject;
  @ApiProperty({
    type: VideoOutputObject,
    nullable: true,
    description: 'The finished file; null until `succeeded` and again after retention removed it (`output_expired_at`).',
  })
  output: VideoOutputObject | null;
  @ApiProperty({
    type: [VideoSegmentObject],
    nullable: true,
    description:
      'A video longer than one clip of the model, or a storyboard, is rendered as these segments, each its own GPU job, then stitched; each shows its progress and cost. Null for a single clip. If one fails, the video fails and only the segments delivered before it are charged (they stay downloadable here).',
  })
  segments: VideoSegmentObject[] | null;
  @ApiProperty({
    example: 'winner',
    description: "`winner` (the king when it runs) or the pinned `<repo>@<digest>`, as asked (a batch item carries its batch's pin).",
  })
  model: string;
  @ApiProperty({ type: VideoProvenanceObject, nullable: true, description: 'Set once the video has succeeded.' }) provenance: VideoProvenanceObject | null;
  @ApiProperty({ type: VideoErrorObject, nullable: true, description: 'Why it failed; null unless `status` is `failed`.' }) error: VideoErrorObject | null;
  @ApiProperty({
    type: VideoCostObject,
    nullable: true,
    description: 'Null while queued or running; zero for canceled and test-mode videos, and for failed ones but for the delivered segments of a chained video.',
  })
  cost: VideoCostObject | null;
  @ApiProperty({ type: String, nullable: true, description: 'Per-request webhook target, if one was given.' }) webhook_url: string | null;
  @ApiProperty({
    type: VideoDeliveryObject,
    nullable: true,
    description:
      'The copy of its files to the destination it (or its batch) named: `pending` until the video succeeds and the copy is done; null when it named none. Events `video.delivered` and `video.delivery_failed`.',
  })
  delivery: VideoDeliveryObject | null;
  @ApiProperty({ type: String, nullable: true, description: 'The batch this video is an item of (`bat_…`), else null.' }) batch_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The item's `custom_id` in its batch, else null." }) custom_id: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'The variants made by one request with `n` share it (`vgr_…`; list them with `GET /v1/videos?group_id=`); else null.',
  })
  group_id: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      "Set when the video had to wait for a concurrency slot: if none frees by then it ends `expired`, never charged (from the plan's `max_queue_seconds`, or the request's; a batch item: its batch's `complete_by`). Null when it got a slot at once.",
  })
  start_by: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 3,
    description:
      "Its place among your videos waiting for a slot (1 = next): your keys take turns, first in first out per key, and a batch's items take turns with them. Null once it is dispatched (and for any video not waiting).",
  })
  queue_position: number | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      "While it waits for a slot: when it is expected to start, from the backend pool's recent render times and your concurrency (ceil(queue_position / concurrent slots) renders from now). An estimate; null once dispatched.",
  })
  estimated_start_at: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the video was created (ISO 8601, UTC).' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a GPU started rendering it; null while queued.' }) started_at:
    | string
    | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it reached a terminal status; null before.' }) completed_at:
    | string
    | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      "When the plan's retention removed the stored input and output (`output` is null from then on). Called `expired_at` before API version 2026-12-01.",
  })
  output_expired_at: string | null;
}

export class DeletedVideo {
  @ApiProperty({ example: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'The video whose content was deleted (the record stays, with `output: null`).' })
  id: string;
  @ApiProperty({ enum: ['video'], description: "String naming the object's type: always `video`." }) object: 'video';
  @ApiProperty({ enum: [true], description: 'Always `true`.' }) deleted: true;
}

export class VideoList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [VideoObject], description: 'This page of videos, newest first.' }) data: VideoObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}

/** What `POST /v1/videos` answers when the request asked for variants (`n`). */
export class VideoGroupObject {
  @ApiProperty({ enum: ['video_group'], description: "String naming the object's type: always `video_group`." }) object: 'video_group';
  @ApiProperty({ example: 'vgr_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'The `group_id` every variant carries.' }) id: string;
  @ApiProperty({ example: 3, description: 'How many variants were created (`n`).' }) n: number;
  @ApiProperty({ type: [VideoObject], description: 'The variants, each its own video with its own seed, in the order of their seeds.' }) data: VideoObject[];
}
