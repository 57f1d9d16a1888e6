import { ApiProperty } from '@nestjs/swagger';
import { BATCH_STATUSES } from '../batch.entity.js';

/** Where the batch's manifest stands in its destination. */
export class BatchManifestDelivery {
  @ApiProperty({ example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x', description: "The destination the manifest is written to (the batch's)." }) destination: string;
  @ApiProperty({
    enum: ['pending', 'delivered', 'failed'],
    description:
      '`pending` until the batch has ended and its manifest is written (retried with backoff while the store refuses), then `delivered`; `failed` once the attempts ran out.',
  })
  status: 'pending' | 'delivered' | 'failed';
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'leoma/catalogue/batch_01jd3v8m7k2q9x4r5s6t7v8w9x.manifest.jsonl',
    description:
      "The manifest's key in the bucket: the destination's prefix, the folder of `destination_key` when it names no item, then `<batch id>.manifest.jsonl` (the rows of `results_url`, its links the API's never-expiring content URLs). Null until the first attempt.",
  })
  key: string | null;
  @ApiProperty({ description: 'Write attempts made so far (since the batch last ended).' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, description: "The store's answer to the last failed attempt." }) last_error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the manifest was written; null until delivered.' }) delivered_at:
    | string
    | null;
}

export class RequestCounts {
  @ApiProperty({ description: 'Items in the batch.' }) total: number;
  @ApiProperty({ description: 'Items waiting for a GPU.' }) queued: number;
  @ApiProperty({ description: 'Items rendering now.' }) running: number;
  @ApiProperty({ description: 'Items that succeeded.' }) succeeded: number;
  @ApiProperty({ description: 'Items that failed (not charged).' }) failed: number;
  @ApiProperty({ description: 'Items canceled (not charged).' }) canceled: number;
  @ApiProperty({ description: "Items not started by the batch's `complete_by` (never charged)." }) expired: number;
}

class RowProblem {
  @ApiProperty({ description: 'The field at fault, e.g. `duration_seconds`.' }) param: string;
  @ApiProperty({ description: "Stable machine-readable reason, as in a problem's `errors[]`." }) code: string;
  @ApiProperty({ description: 'Human-readable explanation.' }) message: string;
}

export class RejectedRowObject {
  @ApiProperty({ description: '1-based row of the input (CSV: data rows, the header not counted).' }) row: number;
  @ApiProperty({ type: String, nullable: true, description: "The row's `custom_id`; null when it had none." }) custom_id: string | null;
  @ApiProperty({ type: [RowProblem], description: 'What is wrong with the row.' }) errors: RowProblem[];
}

export class BatchModelObject {
  @ApiProperty({
    enum: ['pinned_at_creation', 'pin', 'winner'],
    description:
      '`pinned_at_creation`: the king when the batch was created; `pin`: the `model` asked for; `winner`: each item renders with the king when it runs (`model: "winner"`, or the king at creation was not served by digest).',
  })
  rule: string;
  @ApiProperty({ type: String, nullable: true, description: 'Model repository the items render with; null under `winner` (decided per item).' }) repo:
    | string
    | null;
  @ApiProperty({ type: String, nullable: true, description: 'Its snapshot digest; null under `winner`.' }) digest: string | null;
}

export class BatchObject {
  @ApiProperty({ example: 'bat_01jd6k3h5q8r2w9x4y7z0a1b2c', description: 'Unique identifier of the batch (`bat_…`).' }) id: string;
  @ApiProperty({ enum: ['batch'], description: "String naming the object's type: always `batch`." }) object: 'batch';
  @ApiProperty({
    enum: BATCH_STATUSES,
    description:
      '`validating` while its items are written, `in_progress` until every item ended, then `completed` (at least one succeeded), `failed` (every item failed) or `expired` (items had not started by `complete_by`; they are `expired`, uncharged); `canceled` at once on cancel (running items still finish).',
  })
  status: string;
  @ApiProperty({ description: '`true` for a live batch (billed), `false` for a test one.' }) livemode: boolean;
  @ApiProperty({ type: RequestCounts, description: 'Always sums to `total`.' }) request_counts: RequestCounts;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Your key-value pairs, returned as sent.' }) metadata: Record<
    string,
    string
  >;
  @ApiProperty({
    type: BatchModelObject,
    description: 'The model the items render with. By default the king at creation is pinned (`pinned_at_creation`) so the whole batch renders with one model.',
  })
  model: BatchModelObject;
  @ApiProperty({
    enum: ['reject', 'skip'],
    description: '`reject`: an invalid row refuses the whole batch; `skip`: invalid rows are left out and listed in `rejected_rows`.',
  })
  on_invalid: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The destination every item's files are copied to when it succeeds (each item's `delivery` says how far it got).",
  })
  destination: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The items' object key template in the destination." }) destination_key: string | null;
  @ApiProperty({ description: 'Rows left out with `on_invalid: "skip"`.' }) rejected_count: number;
  @ApiProperty({ type: [RejectedRowObject], description: 'The first 100 of them; the results manifest lists all.' }) rejected_rows: RejectedRowObject[];
  @ApiProperty({
    type: 'object',
    description: 'Where the items came from.',
    properties: {
      source: {
        type: 'string',
        enum: ['inline', 'upload', 'file'],
        description: '`inline`: the `items` of the request; `upload`: a file part of the request; `file`: an `input_file_id`.',
      },
      format: { type: 'string', enum: ['json', 'jsonl', 'csv'], description: 'How the items were written.' },
      filename: { type: 'string', nullable: true, description: 'Name of the uploaded file; null for inline items.' },
      file_id: { type: 'string', nullable: true, description: 'The stored input file (`file_…`); null for inline items.' },
      images_file_id: { type: 'string', nullable: true, description: 'The image archive whose members the rows name.' },
    },
  })
  input: { source: string; format: string; filename: string | null; file_id: string | null; images_file_id?: string | null };
  @ApiProperty({ description: 'Manifest: `GET` it with `?format=jsonl|csv`.' }) results_url: string;
  @ApiProperty({
    type: BatchManifestDelivery,
    nullable: true,
    description: 'With a `destination`: the manifest written there when the batch ends (completed, failed or expired), and how that went. Null without one.',
  })
  manifest_delivery: BatchManifestDelivery | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Items not started by then end `expired` (uncharged) and the batch ends `expired`. Null on batches from before deadlines.',
  })
  complete_by: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      "While it runs: when its last item is expected to finish, from the backend pool's recent render times and your concurrency (updated on every read). Null once it has ended.",
  })
  estimated_completion_at: string | null;
  @ApiProperty({ description: 'When the batch was created (ISO 8601, UTC).' }) created_at: string;
  @ApiProperty({ type: String, nullable: true, description: 'When its items started being dispatched; null before.' }) in_progress_at: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'When every item ended; null before.' }) completed_at: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'When it was canceled; null unless canceled.' }) canceled_at: string | null;
}

export class BatchList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [BatchObject], description: 'This page of batchs, newest first.' }) data: BatchObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}
