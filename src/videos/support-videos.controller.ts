import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf, AuditService } from '../audit/index.js';
import { TenantsService } from '../tenants/index.js';
import { VideoList } from './dto/video.object.js';
import { SupportVideosQuery, VideoFailureCounts, VideoFailuresQuery } from './dto/support-videos.dto.js';
import { SupportVideoReads } from './support-video-reads.service.js';
import { VideoPresenter } from './video.presenter.js';
import { supportVideosDocs } from './support-videos.docs.js';

/**
 * Support's view of a tenant's videos and failures. Reads, but audited: they show a customer's
 * prompts and inputs to staff, and the customer may ask who looked.
 */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Roles('support')
@Controller('v1/admin/tenants/:id')
export class SupportVideosController {
  constructor(
    private readonly reads: SupportVideoReads,
    private readonly presenter: VideoPresenter,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
  ) {}

  @Get('videos')
  @ApiOperation(supportVideosDocs.adminListTenantVideos)
  @ApiOkResponse({ type: VideoList })
  async list(@Param('id') id: string, @Query() query: SupportVideosQuery, @Req() req: Request): Promise<VideoList> {
    const tenant = await this.tenants.get(id);
    const livemode = query.mode !== 'test';
    const page = await this.reads.list(tenant.id, query, livemode);
    await this.audit.recordAlone(actorOf(req), {
      tenantId: tenant.id,
      action: 'tenant.videos_read',
      targetType: 'tenant',
      targetId: tenant.id,
      after: { livemode, status: query.status ?? null, error_code: query.error_code ?? null, shown: page.rows.map((v) => v.id) },
    });
    return { object: 'list', data: await this.presenter.presentMany(page.rows), has_more: page.hasMore };
  }

  @Get('video-failures')
  @ApiOperation(supportVideosDocs.adminTenantVideoFailures)
  @ApiOkResponse({ type: VideoFailureCounts })
  async failures(@Param('id') id: string, @Query() query: VideoFailuresQuery, @Req() req: Request): Promise<VideoFailureCounts> {
    const tenant = await this.tenants.get(id);
    const livemode = query.mode !== 'test';
    const counts = await this.reads.failures(tenant.id, livemode, query.since ? new Date(query.since) : undefined);
    await this.audit.recordAlone(actorOf(req), {
      tenantId: tenant.id,
      action: 'tenant.video_failures_read',
      targetType: 'tenant',
      targetId: tenant.id,
      after: { livemode, since: counts.since.toISOString() },
    });
    return { object: 'video_failure_counts', tenant_id: tenant.id, livemode, ...counts, since: counts.since.toISOString() };
  }
}
