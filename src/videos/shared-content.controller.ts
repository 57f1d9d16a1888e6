import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../core/auth/auth.decorators.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { VideosService } from './videos.service.js';
import { openShareToken } from './share-links.js';

/** Share links: a signed, expiring link to one video's content that works without a key (handed to a CDN, a colleague, a shop system). */
@ApiTags('videos')
@Public()
@Controller('v1/shared')
export class SharedContentController {
  constructor(private readonly videos: VideosService) {}

  @Get(':token')
  @ProblemCodes('share_link_invalid', 'share_link_expired', 'video_not_ready', 'video_expired')
  @ApiOperation({
    summary: 'Follow a share link: a redirect to the video',
    operationId: 'getSharedContent',
    description:
      "No key: the signed token is the permission, for one video until its expiry (ask for such links with `GET /v1/batches/{id}/results?links=share`). Redirects to a fresh presigned URL; the download is named by the item's `custom_id`. 403 `share_link_invalid` for a token that was not signed here or was altered, 410 `share_link_expired` after its expiry.",
  })
  @ApiFoundResponse({ description: 'Redirect to the file at a presigned storage URL valid for minutes.' })
  async follow(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const shared = openShareToken(token);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await this.videos.contentUrl(shared.tenantId, shared.videoId, 'video', shared.livemode));
  }
}
