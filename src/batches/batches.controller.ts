import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { AcceptsBody } from '../platform/http/request-body.js';
import { CREATE_BATCH_EXAMPLES, CreateBatchDto } from './dto/create-batch.dto.js';
import { BatchResultsQuery, ListBatchesQuery } from './dto/list-batches.query.js';
import { BatchList, BatchObject } from './dto/batch.object.js';
import { presentBatch, type BatchTiming } from './batch.presenter.js';
import { WaitingQueue } from '../videos/index.js';
import { BatchesService } from './batches.service.js';
import { BatchControl } from './batch-control.service.js';
import { BatchManifest } from './batch-manifest.js';
import { BatchSource } from './batch-source.service.js';
import { BatchArchive } from './batch-archive.js';
import { batchesEnv } from './batches.env.js';
import { filesEnv } from '../files/index.js';
import { batchesDocs } from './batches.docs.js';
import { apiOrigin } from '../platform/http/api-origin.js';

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
    private readonly archive: BatchArchive,
    private readonly waiting: WaitingQueue,
  ) {}

  /** What a batch's `estimated_completion_at` is computed from: recent render times and the tenant's concurrency. */
  private async timing(who: TenantPrincipal): Promise<BatchTiming> {
    return { renderSeconds: await this.waiting.recentRenderSeconds(), slots: who.limits.concurrent_videos };
  }

  @Post()
  @HttpCode(202)
  @Scopes('batches:write')
  @AcceptsBody(CREATE_BODY)
  @ApiOperation(batchesDocs.createBatch)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: CreateBatchDto, examples: CREATE_BATCH_EXAMPLES })
  @ApiAcceptedResponse({ type: BatchObject })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateBatchDto, @Req() req: Request): Promise<BatchObject> {
    const input = await this.source.open(who, dto, req.file);
    return presentBatch(
      await this.batches.create(who, {
        ...input,
        onInvalid: dto.on_invalid ?? 'reject',
        metadata: dto.metadata ?? {},
        model: dto.model,
        destination: dto.destination,
        destinationKey: dto.destination_key,
        completeBy: dto.complete_by,
        apiOrigin: apiOrigin(req),
      }),
      await this.timing(who),
    );
  }

  @Get()
  @Scopes('videos:read')
  @ApiOperation(batchesDocs.listBatches)
  @ApiOkResponse({ type: BatchList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListBatchesQuery): Promise<BatchList> {
    const [page, timing] = await Promise.all([this.batches.list(who.tenantId, who.livemode, query), this.timing(who)]);
    return { object: 'list', data: page.rows.map((b) => presentBatch(b, timing)), has_more: page.hasMore };
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation(batchesDocs.getBatch)
  @ApiOkResponse({ type: BatchObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<BatchObject> {
    return presentBatch(await this.batches.get(who.tenantId, id, who.livemode), await this.timing(who));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('batches:write')
  @ApiOperation(batchesDocs.cancelBatch)
  @ApiOkResponse({ type: BatchObject })
  async cancel(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<BatchObject> {
    return presentBatch(await this.control.cancel(who.tenantId, id, who.livemode), await this.timing(who));
  }

  @Post(':id/retry-failed')
  @HttpCode(200)
  @Scopes('batches:write')
  @ApiOperation(batchesDocs.retryFailedBatchItems)
  @ApiOkResponse({ type: BatchObject })
  async retryFailed(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<BatchObject> {
    return presentBatch(await this.control.retryFailed(who, id), await this.timing(who));
  }

  @Get(':id/results')
  @Scopes('videos:read')
  @ApiOperation(batchesDocs.getBatchResults)
  @ApiProduces('application/jsonl', 'text/csv')
  @ApiOkResponse({ description: 'JSONL (one JSON object per line) or CSV with a header row.' })
  async results(
    @CurrentTenant() who: TenantPrincipal,
    @Param('id') id: string,
    @Query() query: BatchResultsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const batch = await this.batches.get(who.tenantId, id, who.livemode);
    const shareUntil = query.links === 'share' ? new Date(Date.now() + (query.link_expires_in ?? 604_800) * 1000) : undefined;
    await this.manifest.write(batch, query.format ?? 'jsonl', res, apiOrigin(req), shareUntil);
  }

  @Get(':id/archive')
  @Scopes('videos:read')
  @ApiOperation(batchesDocs.getBatchArchive)
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'A ZIP of the MP4s (and posters) of the succeeded items, named by custom_id.' })
  async archiveOf(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.archive.write(await this.batches.get(who.tenantId, id, who.livemode), res);
  }
}
