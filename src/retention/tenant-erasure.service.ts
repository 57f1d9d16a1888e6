import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { VideoContent } from '../videos/index.js';
import { FilesService } from '../files/index.js';
import { eraseRefusedPrompts } from '../moderation/index.js';
import { forgetTenantResponses } from '../idempotency/index.js';
import { eraseTenantDestinations } from '../destinations/index.js';
import { TenantsService } from '../tenants/index.js';
import { AuditService, type Actor } from '../audit/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { retentionEnv } from './retention.env.js';
import type { TenantErasureObject } from './dto/erase-tenant.dto.js';

/**
 * An operator deletes all of a tenant's content: every video (canceled first when still queued
 * or running) and every file, objects at once; the prompts of its refused submissions and the
 * idempotent-replay copies of its responses go too, and its destinations (their sealed credentials)
 * with its videos' delivery rows. Usage rows, invoices and the audit log stay.
 * Capped per call and safe to repeat, so a large tenant is erased by calling until `has_more`
 * is false.
 */
@Injectable()
export class TenantErasure {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tenants: TenantsService,
    private readonly videos: VideoContent,
    private readonly files: FilesService,
    private readonly audit: AuditService,
  ) {}

  async erase(actor: Actor, tenantId: string, confirm: string): Promise<TenantErasureObject> {
    const tenant = await this.tenants.get(tenantId);
    if (confirm !== tenant.id) {
      throw new DomainError('erase_confirmation_mismatch', "Erasure cannot be undone: send the tenant's id as `confirm`.", {
        errors: [{ param: 'confirm', code: 'erase_confirmation_mismatch', message: "must be the tenant's id" }],
      });
    }
    const max = retentionEnv.get().ERASE_MAX_PER_REQUEST;
    const videos = await this.videos.eraseTenant(actor, tenant.id, max);
    const files = videos.remaining ? { deleted: 0, remaining: true } : await this.files.eraseTenant(actor, tenant.id, max - videos.deleted);
    const result: TenantErasureObject = {
      object: 'tenant_erasure',
      tenant_id: tenant.id,
      videos_deleted: videos.deleted,
      files_deleted: files.deleted,
      has_more: videos.remaining || files.remaining,
    };
    await this.db.transaction(async (tx) => {
      const refusals = await eraseRefusedPrompts(tx, tenant.id);
      const replays = await forgetTenantResponses(tx, tenant.id);
      const destinations = await eraseTenantDestinations(tx, tenant.id);
      await this.audit.record(tx, actor, {
        tenantId: tenant.id,
        action: 'tenant.erased',
        targetType: 'tenant',
        targetId: tenant.id,
        after: {
          videos_deleted: result.videos_deleted,
          files_deleted: result.files_deleted,
          refused_prompts_erased: refusals,
          idempotent_replays_dropped: replays,
          destinations_deleted: destinations.destinations,
          video_deliveries_deleted: destinations.deliveries,
          has_more: result.has_more,
        },
      });
    });
    return result;
  }
}
