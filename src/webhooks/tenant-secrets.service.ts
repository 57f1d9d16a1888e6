import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { WebhookTenantSecret } from './webhook-tenant-secret.entity.js';
import { open, seal } from './secret-box.js';
import { newWebhookSecret } from './signature.js';

/** The tenant's default signing secret of one mode (for per-request `webhook_url`), made on first use. */
@Injectable()
export class TenantSecrets {
  constructor(@InjectRepository(WebhookTenantSecret) private readonly secrets: Repository<WebhookTenantSecret>) {}

  async get(tenantId: string, livemode: boolean): Promise<string> {
    // Two first uses at once: one insert wins, both read the winner.
    await this.secrets
      .createQueryBuilder()
      .insert()
      .values({ tenantId, livemode, secretEnc: seal(newWebhookSecret()) })
      .orIgnore()
      .execute();
    const row = await this.secrets.findOneByOrFail({ tenantId, livemode });
    return open(row.secretEnc);
  }
}
