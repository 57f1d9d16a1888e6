import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsISO8601, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MODEL_CHOICE } from '../../backends/index.js';
import { IsStringMap } from '../../platform/http/string-map.validator.js';
import { EXAMPLE_IMAGE, exampleId } from '../../platform/openapi/examples.js';

/** Multipart sends metadata as a JSON string; JSON bodies send an object. */
const parseJsonObject = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/** Two rows as a client sends them inline: a start frame each (a data URI here, so the example runs as is) and a prompt. */
export const EXAMPLE_ITEMS = [
  { custom_id: 'mug-1042', image: EXAMPLE_IMAGE, prompt: 'The camera slowly pushes in as steam rises from the coffee cup.', duration_seconds: 5 },
  {
    custom_id: 'mug-1043',
    image: EXAMPLE_IMAGE,
    prompt: 'The mug turns slowly on a wooden table in morning light.',
    aspect_ratio: '1:1',
    metadata: { sku: 'MUG-1043' },
  },
];

/**
 * Whole requests for the docs: `items`, a file part and `input_file_id` are three ways to send the rows, one
 * at a time, so the fields' examples together are not one request.
 */
export const CREATE_BATCH_EXAMPLES = {
  items: { summary: 'Inline items', value: { items: EXAMPLE_ITEMS, on_invalid: 'skip', metadata: { campaign: 'autumn-mugs' } } },
  input_file_id: { summary: 'A CSV uploaded before with POST /v1/files (purpose=batch)', value: { input_file_id: exampleId('file'), format: 'csv' } },
};

export class CreateBatchDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    example: EXAMPLE_ITEMS,
    description:
      'Up to 1,000 items inline, each a video request plus a `custom_id` unique in the batch: `custom_id`, `image` (https URL, data URI or `file_` id), `prompt`, and optionally `duration_seconds`, `resolution`, `aspect_ratio`, `seed`, `camera`, `negative_prompt`, `fps`, `audio`, `transition`, `n` (1–4 variants: n videos sharing a `group_id`), `audio_file` (a `file_` of purpose `audio` or an https URL), `metadata` (each checked as on POST /v1/videos). Or send a JSONL/CSV file (multipart part `file`) or `input_file_id`.',
  })
  @IsOptional()
  @IsArray()
  items?: unknown[];

  @ApiPropertyOptional({ example: exampleId('file'), description: 'A `file_` id of a JSONL or CSV uploaded with `POST /v1/files` and `purpose=batch`.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  input_file_id?: string;

  @ApiPropertyOptional({
    example: exampleId('file'),
    description:
      'A `file_` id of a ZIP of images uploaded with `POST /v1/files` and `purpose=image_archive`: a row whose `image` is not a URL, data URI or file id names one of its members (e.g. `photos/sku-1.jpg`). Each named member is checked as an uploaded image is.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  images_file_id?: string;

  @ApiPropertyOptional({ enum: ['jsonl', 'csv'], example: 'csv', description: 'Format of the file; by default from its name, else its content.' })
  @IsOptional()
  @IsIn(['jsonl', 'csv'])
  format?: 'jsonl' | 'csv';

  @ApiPropertyOptional({
    enum: ['reject', 'skip'],
    default: 'reject',
    example: 'skip',
    description:
      '`reject`: any invalid row refuses the batch (422 `batch_invalid_rows`, naming each row). `skip`: the valid rows run and the invalid ones are kept in `rejected_rows` and the manifest.',
  })
  @IsOptional()
  @IsIn(['reject', 'skip'])
  on_invalid?: 'reject' | 'skip';

  @ApiPropertyOptional({
    type: String,
    example: 'winner',
    pattern: MODEL_CHOICE.source,
    description:
      'Absent: the king at creation is pinned for every item, so the batch renders with one model (`model.rule` `pinned_at_creation`). `"winner"`: each item renders with the king when it runs. `"<repo>@<digest>"`: pins that model while a backend serves it (`model_not_servable` otherwise).',
  })
  @IsOptional()
  @IsString()
  @Matches(MODEL_CHOICE, { message: 'must be "winner" or "<repo>@<sha256:…|hf:…>"' })
  model?: string;

  @ApiPropertyOptional({
    description: "A destination (`dst_…`, `POST /v1/destinations`) of the key's mode: each item's files are copied to that bucket when it succeeds.",
    example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  destination?: string;

  @ApiPropertyOptional({
    description:
      "Each item's object key in the destination, after its prefix: placeholders `{custom_id}`, `{video_id}`, `{batch_id}` (a custom_id's characters outside `[A-Za-z0-9._-]` become `_`). No `..` segments or leading '/'. Default `{video_id}.mp4`.",
    example: 'catalogue/{custom_id}.mp4',
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  destination_key?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { campaign: 'autumn-mugs' },
    description: 'Up to 16 string pairs, returned as given.',
  })
  @IsOptional()
  @Transform(parseJsonObject)
  @IsObject()
  @IsStringMap()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-12-08T09:00:00Z',
    description:
      "The batch's deadline: items not started by then end `expired`, never charged, and the batch ends `expired` (`batch.expired`). Default: the plan's `batch_complete_seconds` after creation; at most that, and in the future. A time sooner than your concurrency can finish the batch (with your unfinished videos ahead of it) is refused with `422 complete_by_infeasible` and `earliest_complete_by`. `estimated_completion_at` on the batch says when it is expected to finish.",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  complete_by?: string;
}
