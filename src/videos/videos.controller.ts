import { readFile } from 'node:fs/promises';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConsumes,
  ApiExtraModels,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { CreateVideoDto } from './dto/create-video.dto.js';
import { ListVideosQuery } from './dto/list-videos.query.js';
import { DeletedVideo, VideoGroupObject, VideoList, VideoObject } from './dto/video.object.js';
import { ContentQuery } from './dto/content.query.js';
import { VideoContent, type DeletedObject } from './video-content.service.js';
import { actorOf } from '../audit/index.js';
import { pendingCompletion } from '../idempotency/index.js';
import type { Video } from './video.entity.js';
import { VideoPresenter } from './video.presenter.js';
import { VideosService } from './videos.service.js';
import { AcceptsBody } from '../platform/http/request-body.js';
import { filesEnv } from '../files/index.js';
import { BatchEstimateObject, EstimateBatchDto, EstimateObject } from './dto/estimate.object.js';
import { VideoEstimates } from './video-estimates.service.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { videosDocs } from './videos.docs.js';

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
  constructor(
    private readonly videos: VideosService,
    private readonly presenter: VideoPresenter,
    private readonly estimates: VideoEstimates,
    private readonly content: VideoContent,
  ) {}

  @Post()
  @HttpCode(202)
  @Scopes('videos:write')
  @AcceptsBody(CREATE_BODY)
  @ProblemCodes(
    'image_ambiguous',
    'file_not_found',
    'file_upload_incomplete',
    'image_url_invalid',
    'image_url_forbidden',
    'image_fetch_failed',
    'image_fetch_timeout',
    'image_data_uri_invalid',
    'image_unsupported_type',
    'image_invalid',
    'image_too_large',
    'image_dimensions_too_large',
    'image_too_small',
    'audio_url_invalid',
    'audio_url_forbidden',
    'audio_fetch_failed',
    'audio_fetch_timeout',
    'audio_too_large',
    'audio_unsupported_type',
    'audio_invalid',
    'audio_too_long',
    'media_check_unavailable',
    'audio_file_not_usable',
    'duration_not_allowed',
    'resolution_not_allowed',
    'unsupported_by_model',
    'webhook_url_invalid',
    'webhook_url_forbidden',
    'queue_full',
    'quota_exceeded',
  )
  @ApiOperation(videosDocs.createVideo)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiExtraModels(VideoObject, VideoGroupObject)
  @ApiAcceptedResponse({
    description: 'The video; with `n`, a `video_group` holding its variants.',
    schema: { oneOf: [{ $ref: getSchemaPath(VideoObject) }, { $ref: getSchemaPath(VideoGroupObject) }] },
  })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateVideoDto, @Req() req: Request): Promise<VideoObject | VideoGroupObject> {
    const upload = req.file && (await readFile(req.file.path));
    if (dto.n === undefined) {
      const pending = pendingCompletion(req);
      let answer: VideoObject | undefined;
      const respond = pending && { pending, answer: async (v: Video) => (answer = await this.presenter.present(v)) };
      const video = await this.videos.create(who, dto, upload, req.requestId ?? null, respond);
      return answer ?? this.presenter.present(video);
    }
    const group = await this.videos.createGroup(who, dto, upload, req.requestId ?? null);
    return { object: 'video_group', id: group.groupId, n: group.videos.length, data: await this.presenter.presentMany(group.videos) };
  }

  @Post('estimate')
  @HttpCode(200)
  @Scopes('videos:read')
  @ApiOperation(videosDocs.estimateVideo)
  @ApiOkResponse({ type: EstimateObject })
  estimate(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateVideoDto): Promise<EstimateObject> {
    return this.estimates.one(who, dto);
  }

  @Post('estimate/batch')
  @HttpCode(200)
  @Scopes('videos:read')
  @AcceptsBody({ jsonMaxBytes: () => 4 * 1024 * 1024 })
  @ApiOperation(videosDocs.estimateVideoBatch)
  @ApiOkResponse({ type: BatchEstimateObject })
  estimateBatch(@CurrentTenant() who: TenantPrincipal, @Body() dto: EstimateBatchDto): Promise<BatchEstimateObject> {
    return this.estimates.batch(who, dto.videos);
  }

  @Get()
  @Scopes('videos:read')
  @ApiOperation(videosDocs.listVideos)
  @ApiOkResponse({ type: VideoList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListVideosQuery): Promise<VideoList> {
    const page = await this.videos.list(who.tenantId, query, who.livemode);
    return { object: 'list', data: await this.presenter.presentMany(page.rows), has_more: page.hasMore };
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation(videosDocs.getVideo)
  @ApiOkResponse({ type: VideoObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<VideoObject> {
    return this.presenter.present(await this.videos.get(who.tenantId, id, who.livemode));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('videos:write')
  @ProblemCodes('video_not_cancelable')
  @ApiOperation(videosDocs.cancelVideo)
  @ApiOkResponse({ type: VideoObject })
  async cancel(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<VideoObject> {
    return this.presenter.present(await this.videos.cancel(who.tenantId, id, who.livemode));
  }

  @Delete(':id')
  @Scopes('videos:write')
  @ApiOperation(videosDocs.deleteVideo)
  @ApiOkResponse({ type: DeletedVideo })
  async delete(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<DeletedObject> {
    return this.content.delete(actorOf(req), who.tenantId, id, who.livemode);
  }

  @Get(':id/content')
  @Scopes('videos:read')
  @ProblemCodes('video_not_ready', 'video_expired', 'variant_not_available')
  @ApiOperation(videosDocs.getVideoContent)
  @ApiFoundResponse({
    description: 'Redirect to the file at a presigned storage URL valid for minutes.',
    headers: {
      Location: {
        description: 'The presigned download URL.',
        schema: {
          type: 'string',
          format: 'uri',
          example: 'https://storage.example/leoma/videos/vid_01jd3v8m7k2q9x4r5s6t7v8w9x.mp4?X-Amz-Expires=900&X-Amz-Signature=3f1c9a',
        },
      },
    },
  })
  async contentUrl(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Query() query: ContentQuery, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await this.videos.contentUrl(who.tenantId, id, query.variant, who.livemode));
  }
}
