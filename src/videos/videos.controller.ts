import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConsumes, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentTenant, Scopes } from '../core/auth/auth.decorators.js';
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

/** The one route besides file upload that takes an image: as a file part, or inline as a data URI (base64 is 4/3 of the bytes). */
const CREATE_BODY = {
  jsonMaxBytes: () => Math.ceil(filesEnv.get().IMAGE_MAX_BYTES * 1.4) + 64 * 1024,
  multipart: { field: 'image', fileMaxBytes: () => filesEnv.get().IMAGE_MAX_BYTES },
};

@ApiTags('videos')
@ApiBearerAuth()
@Controller('v1/videos')
export class VideosController {
  constructor(private readonly videos: VideosService, private readonly presenter: VideoPresenter, private readonly content: VideoContent) {}

  @Post()
  @HttpCode(202)
  @Scopes('videos:write')
  @AcceptsBody(CREATE_BODY)
  @ApiOperation({ summary: 'Create a video from an image and a prompt', operationId: 'createVideo', description: 'Returns at once with a queued video; poll it, or follow its events. Send `Idempotency-Key` to retry safely.' })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiAcceptedResponse({ type: VideoObject })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateVideoDto, @Req() req: Request): Promise<VideoObject> {
    return this.presenter.present(await this.videos.create(who, dto, req.file?.buffer, req.requestId ?? null));
  }

  @Get()
  @Scopes('videos:read')
  @ApiOperation({ summary: 'List videos, newest first', operationId: 'listVideos' })
  @ApiOkResponse({ type: VideoList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListVideosQuery): Promise<VideoList> {
    const page = await this.videos.list(who.tenantId, query);
    return { object: 'list', data: await Promise.all(page.rows.map((v) => this.presenter.present(v))), has_more: page.hasMore };
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation({ summary: 'Retrieve a video', operationId: 'getVideo' })
  @ApiOkResponse({ type: VideoObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<VideoObject> {
    return this.presenter.present(await this.videos.get(who.tenantId, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('videos:write')
  @ApiOperation({ summary: 'Cancel a queued or running video; nothing is charged', operationId: 'cancelVideo' })
  @ApiOkResponse({ type: VideoObject })
  async cancel(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<VideoObject> {
    return this.presenter.present(await this.videos.cancel(who.tenantId, id));
  }

  @Delete(':id')
  @Scopes('videos:write')
  @ApiOperation({ summary: 'Delete a video: a queued or running one is canceled first; its stored input, MP4, poster and thumbnail are deleted at once', operationId: 'deleteVideo', description: 'The usage of a succeeded video stays billed. The video is gone from the API afterwards (404).' })
  @ApiOkResponse({ type: DeletedVideo })
  async delete(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<DeletedObject> {
    return this.content.delete(actorOf(req), who.tenantId, id);
  }

  @Get(':id/content')
  @Scopes('videos:read')
  @ApiOperation({ summary: 'Download the MP4, its poster or its thumbnail: redirects to a short-lived URL', operationId: 'getVideoContent' })
  @ApiFoundResponse({ description: 'Location holds a presigned URL.' })
  async contentUrl(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Query() query: ContentQuery, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await this.videos.contentUrl(who.tenantId, id, query.variant));
  }
}
