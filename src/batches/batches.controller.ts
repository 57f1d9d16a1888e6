import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { AcceptsBody } from '../platform/http/request-body.js';
import { CREATE_BATCH_EXAMPLES, CreateBatchDto } from './dto/create-batch.dto.js';
import { BatchResultsQuery, ListBatchesQuery } from './dto/list-batches.query.js';
import { BatchList, BatchObject } from './dto/batch.object.js';
import { presentBatch } from './batch.presenter.js';
import { BatchesService } from './batches.service.js';
import { BatchControl } from './batch-control.service.js';
import { BatchManifest } from './batch-manifest.js';
import { BatchSource } from './batch-source.service.js';
import { batchesEnv } from './batches.env.js';
import { filesEnv } from '../files/index.js';

const CREATE_BODY = {
  jsonMaxBytes: () => batchesEnv.get().BATCH_JSON_MAX_BYTES,
  multipart: { field: 'file', fileMaxBytes: () => filesEnv.get().BATCH_INPUT_MAX_BYTES, tooLargeCode: 'payload_too_large' },
};

@ApiTags('batches')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchesService,
    private readonly control: BatchControl,
    private readonly manifest: BatchManifest,
    private readonly source: BatchSource,
  ) {}

  @Post()
  @HttpCode(202)
  @Scopes('batches:write')
  @AcceptsBody(CREATE_BODY)
  @ApiOperation({
    summary: 'Create a batch of videos from inline items, a JSONL or CSV file, or an uploaded file id',
    operationId: 'createBatch',
    description: 'Every row is validated first: an invalid row refuses the whole batch (422 `batch_invalid_rows`, each bad row named) unless `on_invalid` is `skip`. The batch is checked against the plan\'s `max_batch_size`, the month\'s remaining video-seconds and, for live batches, its projected cost against your hard spend caps (429 `spend_cap_reached`: the whole batch is refused) before anything is written. Each item is checked again when it runs, under your plan, caps and key as they are then: an item over a cap fails `spend_cap_reached`, and the waiting items of a batch whose key was revoked fail `api_key_revoked` (rolling the key moves the batch to the new key). CSV columns: `custom_id,image,prompt,duration_seconds,resolution,aspect_ratio,seed,camera` (and `negative_prompt`).',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: CreateBatchDto, examples: CREATE_BATCH_EXAMPLES })
  @ApiAcceptedResponse({ type: BatchObject })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateBatchDto, @Req() req: Request): Promise<BatchObject> {
    const input = await this.source.open(who, dto, req.file);
    return presentBatch(await this.batches.create(who, { ...input, onInvalid: dto.on_invalid ?? 'reject', metadata: dto.metadata ?? {}, model: dto.model }));
  }

  @Get()
  @Scopes('videos:read')
  @ApiOperation({ summary: 'List batches, newest first', operationId: 'listBatches', description: 'Your batches, newest first, with their status and `request_counts`; cursor pagination with `limit`, `starting_after` and `ending_before`.' })
  @ApiOkResponse({ type: BatchList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListBatchesQuery): Promise<BatchList> {
    const page = await this.batches.list(who.tenantId, who.livemode, query);
    return { object: 'list', data: page.rows.map(presentBatch), has_more: page.hasMore };
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation({ summary: 'Retrieve a batch with its item counts', operationId: 'getBatch', description: 'One batch: status (`validating`, `in_progress`, `completed`, `failed`, `canceled`), `request_counts` that always sum to `total`, timestamps, metadata and any rejected rows.' })
  @ApiOkResponse({ type: BatchObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<BatchObject> {
    return presentBatch(await this.batches.get(who.tenantId, id, who.livemode));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('batches:write')
  @ApiOperation({ summary: 'Cancel a batch: queued items are canceled, running ones finish', operationId: 'cancelBatch', description: 'Cancels the batch: its queued items end `canceled` (their reserved slots and seconds come back) and its running items finish and are charged if they succeed. 409 `batch_not_cancelable` once it has ended.' })
  @ApiOkResponse({ type: BatchObject })
  async cancel(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<BatchObject> {
    return presentBatch(await this.control.cancel(who.tenantId, id, who.livemode));
  }

  @Post(':id/retry-failed')
  @HttpCode(200)
  @Scopes('batches:write')
  @ApiOperation({ summary: 'Run the failed items again (as new videos, same rows and custom_ids)', operationId: 'retryFailedBatchItems', description: "Runs the batch's failed items again as new videos with the same row, input and `custom_id`; the failed attempts stay listed under `GET /v1/videos?batch_id=`. The seconds are checked against the quota and, for live batches, the hard spend caps first." })
  @ApiOkResponse({ type: BatchObject })
  async retryFailed(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<BatchObject> {
    return presentBatch(await this.control.retryFailed(who, id));
  }

  @Get(':id/results')
  @Scopes('videos:read')
  @ApiOperation({
    summary: 'The results manifest: one row per input row, in input order',
    operationId: 'getBatchResults',
    description: 'Columns `custom_id, video_id, status, content_url, duration_seconds, error_code, error_message`; streamed. `content_url` is a short-lived download URL of a succeeded item. Rows left out by `on_invalid: "skip"` have status `rejected`. CSV cells that a spreadsheet would run as a formula are prefixed with `\'`.',
  })
  @ApiProduces('application/jsonl', 'text/csv')
  @ApiOkResponse({ description: 'JSONL (one JSON object per line) or CSV with a header row.' })
  async results(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Query() query: BatchResultsQuery, @Res() res: Response): Promise<void> {
    const batch = await this.batches.get(who.tenantId, id, who.livemode);
    await this.manifest.write(batch, query.format ?? 'jsonl', res);
  }
}
