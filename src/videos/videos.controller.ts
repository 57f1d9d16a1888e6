import { readFile } from 'node:fs/promises';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConsumes, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { CreateVideoDto } from './dto/create-video.dto.js';
import { ListVideosQuery } from './dto/list-videos.query.js';
import { DeletedVideo, VideoList, VideoObject } from './dto/video.object.js';
import { ContentQuery } from './dto/content.query.js';
import { VideoContent, type DeletedObject } from './video-content.service.js';
import { actorOf } from '../audit/index.js';
import { VideoPresenter } from './video.presenter.js';
import { VideosService } from './videos.service.js';
import { AcceptsBody } from '../platform/http/request-body.js';
import { filesEnv } from '../files/index.js';
import { BatchEstimateObject, EstimateBatchDto, EstimateObject } from './dto/estimate.object.js';
import { VideoEstimates } from './video-estimates.service.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';

/** The one route besides file upload that takes an image: as a file part, or inline as a data URI (base64 is 4/3 of the bytes). */
const CREATE_BODY = {
  jsonMaxBytes: () => Math.ceil(filesEnv.get().IMAGE_MAX_BYTES * 1.4) + 64 * 1024,
  multipart: { field: 'image', fileMaxBytes: () => filesEnv.get().IMAGE_MAX_BYTES },
};

@ApiTags('videos')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/videos')
export class VideosController {
  constructor(private readonly videos: VideosService, private readonly presenter: VideoPresenter, private readonly estimates: VideoEstimates, private readonly content: VideoContent) {}

  @Post()
  @HttpCode(202)
  @Scopes('videos:write')
  @AcceptsBody(CREATE_BODY)
  @ProblemCodes('image_ambiguous', 'file_not_found', 'image_url_invalid', 'image_url_forbidden', 'image_fetch_failed', 'image_fetch_timeout', 'image_data_uri_invalid', 'image_unsupported_type', 'image_invalid', 'image_too_large', 'image_dimensions_too_large', 'image_too_small', 'duration_not_allowed', 'resolution_not_allowed', 'unsupported_by_model', 'webhook_url_invalid', 'webhook_url_forbidden', 'concurrency_limited', 'quota_exceeded')
  @ApiOperation({ summary: 'Create a video from an image and a prompt', operationId: 'createVideo', description: 'Returns at once with a queued video; poll it, or follow its events. Send `Idempotency-Key` to retry safely.' })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiAcceptedResponse({ type: VideoObject })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateVideoDto, @Req() req: Request): Promise<VideoObject> {
    return this.presenter.present(await this.videos.create(who, dto, req.file && (await readFile(req.file.path)), req.requestId ?? null));
  }

  @Post('estimate')
  @HttpCode(200)
  @Scopes('videos:read')
  @ApiOperation({ summary: 'What a video would cost, and whether it would be refused, without creating it', operationId: 'estimateVideo', description: 'Same body as creating a video; no image needed.' })
  @ApiOkResponse({ type: EstimateObject })
  estimate(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateVideoDto): Promise<EstimateObject> {
    return this.estimates.one(who, dto);
  }

  @Post('estimate/batch')
  @HttpCode(200)
  @Scopes('videos:read')
  @AcceptsBody({ jsonMaxBytes: () => 4 * 1024 * 1024 })
  @ApiOperation({ summary: 'What a list of videos would cost together, each estimated after the ones before it', operationId: 'estimateVideoBatch', description: 'Estimates a list of video requests as one batch would run them, each after the ones before it: cost, included seconds used, and whether a limit would refuse it. Nothing is reserved.' })
  @ApiOkResponse({ type: BatchEstimateObject })
  estimateBatch(@CurrentTenant() who: TenantPrincipal, @Body() dto: EstimateBatchDto): Promise<BatchEstimateObject> {
    return this.estimates.batch(who, dto.videos);
  }

  @Get()
  @Scopes('videos:read')
  @ApiOperation({ summary: 'List videos, newest first', operationId: 'listVideos', description: "Cursor-paginated, newest first: pass the last id of a page as `starting_after` for the next (`ending_before` goes back); `has_more` says whether there is one. Filter with `status`. Needs scope `videos:read`." })
  @ApiOkResponse({ type: VideoList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListVideosQuery): Promise<VideoList> {
    const page = await this.videos.list(who.tenantId, query, who.livemode);
    return { object: 'list', data: await this.presenter.presentMany(page.rows), has_more: page.hasMore };
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation({ summary: 'Retrieve a video', operationId: 'getVideo', description: "The video's current state. Once `succeeded`, `output.url` is a fresh presigned download URL (valid for minutes; fetch the video again for a new one). Another tenant's id is 404." })
  @ApiOkResponse({ type: VideoObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<VideoObject> {
    return this.presenter.present(await this.videos.get(who.tenantId, id, who.livemode));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('videos:write')
  @ProblemCodes('video_not_cancelable')
  @ApiOperation({ summary: 'Cancel a queued or running video; nothing is charged', operationId: 'cancelVideo', description: "Cancels a `queued` or `running` video: it ends `canceled`, its quota reservation is released and nothing is charged. A video that already finished is 409 `video_not_cancelable`." })
  @ApiOkResponse({ type: VideoObject })
  async cancel(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<VideoObject> {
    return this.presenter.present(await this.videos.cancel(who.tenantId, id, who.livemode));
  }

  @Delete(':id')
  @Scopes('videos:write')
  @ApiOperation({ summary: 'Delete a video: a queued or running one is canceled first; its stored input, MP4, poster and thumbnail are deleted at once', operationId: 'deleteVideo', description: 'The usage of a succeeded video stays billed. The video is gone from the API afterwards (404).' })
  @ApiOkResponse({ type: DeletedVideo })
  async delete(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<DeletedObject> {
    return this.content.delete(actorOf(req), who.tenantId, id, who.livemode);
  }

  @Get(':id/content')
  @Scopes('videos:read')
  @ProblemCodes('video_not_ready', 'video_expired', 'variant_not_available')
  @ApiOperation({ summary: 'Download the MP4, its poster or its thumbnail: redirects to a short-lived URL', operationId: 'getVideoContent', description: "Redirects (302) to a short-lived presigned URL of the MP4 (`variant=video`, the default), its poster frame (`poster`, JPEG, full size) or its thumbnail (`thumbnail`, WebP, 320 px on the long side), so `curl -L` or a browser downloads it straight from storage. Before the video succeeded: 409 `video_not_ready`; after its retention: 410 `video_expired`." })
  @ApiFoundResponse({
    description: 'Redirect to the file at a presigned storage URL valid for minutes.',
    headers: { Location: { description: 'The presigned download URL.', schema: { type: 'string', format: 'uri', example: 'https://storage.example/leoma/videos/vid_01jd3v8m7k2q9x4r5s6t7v8w9x.mp4?X-Amz-Expires=900&X-Amz-Signature=3f1c9a' } } },
  })
  async contentUrl(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Query() query: ContentQuery, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await this.videos.contentUrl(who.tenantId, id, query.variant, who.livemode));
  }
}
