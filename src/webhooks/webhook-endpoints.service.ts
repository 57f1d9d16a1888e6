import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { notFound, ProblemException } from '../platform/http/problem.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import type { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import { assertWebhookUrl } from './webhook-url.js';
import { seal } from './secret-box.js';
import { newWebhookSecret } from './signature.js';
import { webhooksEnv } from './webhooks.env.js';

/** A tenant's webhook endpoints. Deleting keeps the row (flagged) so its delivery log stays readable by id. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
  ) {}

  async create(tenantId: string, dto: CreateWebhookEndpointDto): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    await assertWebhookUrl(dto.url, 'url');
    const secret = newWebhookSecret();
    const endpoint = this.endpoints.create({
      id: newId('webhookEndpoint'),
      tenantId,
      url: dto.url,
      description: dto.description ?? '',
      enabledEvents: dto.enabled_events ?? ['*'],
      enabled: true,
      secretEnc: seal(secret),
    });
    return { endpoint: await this.endpoints.save(endpoint), secret };
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findOneBy({ id, tenantId, deleted: false });
    if (!endpoint) throw notFound('webhook endpoint', id);
    return endpoint;
  }

  list(tenantId: string, query: ListQuery) {
    const qb = this.endpoints.createQueryBuilder('e').where('e.tenant_id = :tenantId AND NOT e.deleted', { tenantId });
    return paginate(qb, query);
  }

  async update(tenantId: string, id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpoint> {
    const endpoint = await this.get(tenantId, id);
    if (dto.url !== undefined) endpoint.url = await assertWebhookUrl(dto.url, 'url');
    if (dto.description !== undefined) endpoint.description = dto.description;
    if (dto.enabled_events !== undefined) endpoint.enabledEvents = dto.enabled_events;
    if (dto.enabled !== undefined && dto.enabled !== endpoint.enabled) {
      // Re-enabling starts a clean slate: the old failure run must not disable it again at once.
      Object.assign(endpoint, { enabled: dto.enabled, disabledReason: null, disabledAt: dto.enabled ? null : new Date(), failingSince: null });
    }
    return this.endpoints.save(endpoint);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.get(tenantId, id);
    await this.endpoints.update({ id, tenantId }, { deleted: true, enabled: false });
  }

  /** New secret at once; the old one keeps signing (a second signature) until the overlap ends. */
  async rotateSecret(tenantId: string, id: string, overlapSeconds?: number): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const endpoint = await this.get(tenantId, id);
    const overlap = overlapSeconds ?? webhooksEnv.get().WEBHOOK_ROTATION_OVERLAP_SECONDS;
    const secret = newWebhookSecret();
    Object.assign(endpoint, {
      previousSecretEnc: overlap > 0 ? endpoint.secretEnc : null,
      previousSecretExpiresAt: overlap > 0 ? new Date(Date.now() + overlap * 1000) : null,
      secretEnc: seal(secret),
    });
    return { endpoint: await this.endpoints.save(endpoint), secret };
  }

  async listDeliveries(tenantId: string, id: string, query: ListQuery) {
    await this.get(tenantId, id);
    const qb = this.deliveries.createQueryBuilder('d').where('d.tenant_id = :tenantId AND d.endpoint_id = :id', { tenantId, id });
    return paginate(qb, query);
  }

  /** Failed deliveries since a time go out again, each with a fresh retry window. */
  async recover(tenantId: string, id: string, since: Date): Promise<number> {
    const endpoint = await this.get(tenantId, id);
    if (!endpoint.enabled) {
      throw new ProblemException(409, 'webhook_endpoint_disabled', `Webhook endpoint '${id}' is disabled; enable it (PATCH enabled: true) before recovering.`);
    }
    const res = await this.deliveries
      .createQueryBuilder()
      .update()
      .set({ status: 'pending', nextAttemptAt: () => 'now()', enqueuedAt: null, windowStartedAt: () => 'now()' })
      .where('tenant_id = :tenantId AND endpoint_id = :id AND status = :failed AND created_at >= :since', { tenantId, id, failed: 'failed', since })
      .execute();
    return res.affected ?? 0;
  }
}
