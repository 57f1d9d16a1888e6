import { ApiProperty } from '@nestjs/swagger';
import { BATCH_STATUSES } from '../batch.entity.js';

export class RequestCounts {
  @ApiProperty() total: number;
  @ApiProperty() queued: number;
  @ApiProperty() running: number;
  @ApiProperty() succeeded: number;
  @ApiProperty() failed: number;
  @ApiProperty() canceled: number;
  @ApiProperty({ description: "Items not started by the batch's `complete_by` (never charged)." }) expired: number;
}

class RowProblem {
  @ApiProperty() param: string;
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class RejectedRowObject {
  @ApiProperty({ description: '1-based row of the input (CSV: data rows, the header not counted).' }) row: number;
  @ApiProperty({ type: String, nullable: true }) custom_id: string | null;
  @ApiProperty({ type: [RowProblem] }) errors: RowProblem[];
}

export class BatchModelObject {
  @ApiProperty({
    enum: ['pinned_at_creation', 'pin', 'winner'],
    description:
      '`pinned_at_creation`: the king when the batch was created; `pin`: the `model` asked for; `winner`: each item renders with the king when it runs (`model: "winner"`, or the king at creation was not served by digest).',
  })
  rule: string;
  @ApiProperty({ type: String, nullable: true }) repo: string | null;
  @ApiProperty({ type: String, nullable: true }) digest: string | null;
}

export class BatchObject {
  @ApiProperty({ example: 'bat_01jd6k3h5q8r2w9x4y7z0a1b2c' }) id: string;
  @ApiProperty({ enum: ['batch'] }) object: 'batch';
  @ApiProperty({
    enum: BATCH_STATUSES,
    description:
      '`validating` while its items are written, `in_progress` until every item ended, then `completed` (at least one succeeded), `failed` (every item failed) or `expired` (items had not started by `complete_by`; they are `expired`, uncharged); `canceled` at once on cancel (running items still finish).',
  })
  status: string;
  @ApiProperty() livemode: boolean;
  @ApiProperty({ type: RequestCounts, description: 'Always sums to `total`.' }) request_counts: RequestCounts;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata: Record<string, string>;
  @ApiProperty({
    type: BatchModelObject,
    description: 'The model the items render with. By default the king at creation is pinned (`pinned_at_creation`) so the whole batch renders with one model.',
  })
  model: BatchModelObject;
  @ApiProperty({ enum: ['reject', 'skip'] }) on_invalid: string;
  @ApiProperty({ description: 'Rows left out with `on_invalid: "skip"`.' }) rejected_count: number;
  @ApiProperty({ type: [RejectedRowObject], description: 'The first 100 of them; the results manifest lists all.' }) rejected_rows: RejectedRowObject[];
  @ApiProperty({
    type: 'object',
    properties: {
      source: { type: 'string', enum: ['inline', 'upload', 'file'] },
      format: { type: 'string', enum: ['json', 'jsonl', 'csv'] },
      filename: { type: 'string', nullable: true },
      file_id: { type: 'string', nullable: true },
      images_file_id: { type: 'string', nullable: true, description: 'The image archive whose members the rows name.' },
    },
  })
  input: { source: string; format: string; filename: string | null; file_id: string | null; images_file_id?: string | null };
  @ApiProperty({ description: 'Manifest: `GET` it with `?format=jsonl|csv`.' }) results_url: string;
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
  @ApiProperty() created_at: string;
  @ApiProperty({ type: String, nullable: true }) in_progress_at: string | null;
  @ApiProperty({ type: String, nullable: true }) completed_at: string | null;
  @ApiProperty({ type: String, nullable: true }) canceled_at: string | null;
}

export class BatchList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [BatchObject] }) data: BatchObject[];
  @ApiProperty() has_more: boolean;
}
