import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CurrentTenant, KeyModes, OperatorOnly, Roles, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { ListQuery } from '../platform/http/pagination.js';
import { ProblemException } from '../platform/http/problem.js';
import { TenantsService } from '../tenants/index.js';
import { actorOf, AuditService } from '../audit/index.js';
import { ModerationService } from './moderation.service.js';
import { presentAdminEvent, presentEvent, presentSettings } from './moderation.presenters.js';
import {
  AdminModerationEventList,
  AdminModerationEventsQuery,
  ModerationEventList,
  ModerationSettingsObject,
  PutModerationSettingsDto,
} from './dto/moderation.objects.js';
import { blocklistSchema } from './moderation.env.js';
import { Blocklist, InvalidBlocklistRule } from './blocklist.js';
import { moderationDocs } from './moderation.docs.js';

@ApiTags('moderation')
@ApiBearerAuth()
@KeyModes('live')
@Controller('v1/moderation-events')
export class ModerationEventsController {
  constructor(private readonly moderation: ModerationService) {}

  @Get()
  @Scopes('videos:read')
  @ApiOperation(moderationDocs.listModerationEvents)
  @ApiOkResponse({ type: ModerationEventList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: ListQuery): Promise<ModerationEventList> {
    const page = await this.moderation.listEvents(query, who.tenantId);
    return { object: 'list', data: page.rows.map(presentEvent), has_more: page.hasMore };
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin')
export class AdminModerationController {
  constructor(
    private readonly moderation: ModerationService,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  @Get('moderation-events')
  @Roles('support', 'sales')
  @ApiOperation(moderationDocs.adminListModerationEvents)
  @ApiOkResponse({ type: AdminModerationEventList })
  async list(@Query() query: AdminModerationEventsQuery): Promise<AdminModerationEventList> {
    const page = await this.moderation.listEvents(query, query.tenant_id);
    return { object: 'list', data: page.rows.map(presentAdminEvent), has_more: page.hasMore };
  }

  @Get('tenants/:id/moderation')
  @Roles('support', 'sales')
  @ApiOperation(moderationDocs.adminGetTenantModeration)
  @ApiOkResponse({ type: ModerationSettingsObject })
  async get(@Param('id') id: string): Promise<ModerationSettingsObject> {
    const tenant = await this.tenants.get(id);
    return presentSettings(tenant.id, await this.moderation.settingsOf(tenant.id));
  }

  @Put('tenants/:id/moderation')
  @Roles('sales')
  @ApiOperation(moderationDocs.adminPutTenantModeration)
  @ApiOkResponse({ type: ModerationSettingsObject })
  async put(@Param('id') id: string, @Body() body: PutModerationSettingsDto, @Req() req: Request): Promise<ModerationSettingsObject> {
    const tenant = await this.tenants.get(id);
    const blocklist = checkBlocklist(body.blocklist ?? {});
    const before = await this.moderation.settingsOf(tenant.id);
    const saved = await this.moderation.saveSettings({
      tenantId: tenant.id,
      blocklist,
      providerEnabled: body.provider_enabled ?? null,
      failMode: body.fail_mode ?? null,
    });
    const after = presentSettings(tenant.id, saved);
    await this.db.transaction((tx) =>
      this.audit.record(tx, actorOf(req), {
        tenantId: tenant.id,
        action: 'tenant.moderation_updated',
        targetType: 'tenant',
        targetId: tenant.id,
        before: before ? presentSettings(tenant.id, before) : null,
        after,
      }),
    );
    return after;
  }
}

/** The shape, the caps and every pattern compiling, or a 400 naming the entry. */
function checkBlocklist(raw: Record<string, unknown>): Record<string, string[]> {
  const parsed = blocklistSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 20).map((i) => ({ param: ['blocklist', ...i.path].join('.'), code: 'invalid', message: i.message }));
    throw new ProblemException(400, 'validation_failed', `blocklist: ${errors[0]!.message}`, { errors });
  }
  if (Object.keys(parsed.data).length > 50)
    throw new ProblemException(400, 'validation_failed', 'blocklist: at most 50 categories', {
      errors: [{ param: 'blocklist', code: 'too_many', message: 'at most 50 categories' }],
    });
  try {
    new Blocklist(parsed.data);
  } catch (e) {
    if (!(e instanceof InvalidBlocklistRule)) throw e;
    throw new ProblemException(400, 'validation_failed', e.message, {
      errors: [{ param: `blocklist.${e.category}`, code: 'invalid_pattern', message: e.message }],
    });
  }
  return parsed.data;
}
