import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import type { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import { assertWebhookUrl } from './webhook-url.js';
import { seal } from './secret-box.js';
import { newWebhookSecret } from './signature.js';
import { webhooksEnv } from './webhooks.env.js';
import { AuditService, type Actor } from '../audit/index.js';

/** Whose endpoints: a tenant's, in one mode (a key sees and manages only its own mode's endpoints). */
export interface EndpointOwner {
  tenantId: string;
  livemode: boolean;
}

/** A tenant's webhook endpoints. Deleting keeps the row (flagged) so its delivery log stays readable by id. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, { tenantId, livemode }: EndpointOwner, dto: CreateWebhookEndpointDto): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    await assertWebhookUrl(dto.url, 'url');
    const secret = newWebhookSecret();
    const endpoint = await this.endpoints.manager.transaction(async (tx) => {
      // Serialises creations per tenant so two concurrent requests cannot both pass the count.
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`webhook-endpoints:${tenantId}`]);
      const max = webhooksEnv.get().WEBHOOK_MAX_ENDPOINTS_PER_TENANT;
      if ((await tx.countBy(WebhookEndpoint, { tenantId, deleted: false })) >= max) {
        throw new DomainError('webhook_endpoint_limit_reached', `A tenant can have at most ${max} webhook endpoints; delete one before adding another.`);
      }
      const saved = await tx.save(
        tx.create(WebhookEndpoint, {
          id: newId('webhookEndpoint'),
          tenantId,
          livemode,
          url: dto.url,
          description: dto.description ?? '',
          enabledEvents: dto.enabled_events ?? ['*'],
          enabled: true,
          secretEnc: seal(secret),
        }),
      );
      await this.record(tx, actor, 'webhook_endpoint.created', null, saved);
      return saved;
    });
    return { endpoint, secret };
  }

  /** The other mode's endpoint is a 404, like another tenant's. */
  async get({ tenantId, livemode }: EndpointOwner, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findOneBy({ id, tenantId, livemode, deleted: false });
    if (!endpoint) throw notFound('webhook endpoint', id);
    return endpoint;
  }

  list({ tenantId, livemode }: EndpointOwner, query: ListQuery) {
    const qb = this.endpoints.createQueryBuilder('e').where('e.tenant_id = :tenantId AND e.livemode = :livemode AND NOT e.deleted', { tenantId, livemode });
    return paginate(qb, query);
  }

  async update(actor: Actor, owner: EndpointOwner, id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpoint> {
    const endpoint = await this.get(owner, id);
    const before = { ...endpoint };
    if (dto.url !== undefined) endpoint.url = await assertWebhookUrl(dto.url, 'url');
    if (dto.description !== undefined) endpoint.description = dto.description;
    if (dto.enabled_events !== undefined) endpoint.enabledEvents = dto.enabled_events;
    if (dto.enabled !== undefined && dto.enabled !== endpoint.enabled) {
      // Re-enabling starts a clean slate: the old failure run must not disable it again at once.
      Object.assign(endpoint, { enabled: dto.enabled, disabledReason: null, disabledAt: dto.enabled ? null : new Date(), failingSince: null });
    }
    return this.endpoints.manager.transaction(async (tx) => {
      const saved = await tx.save(endpoint);
      await this.record(tx, actor, 'webhook_endpoint.updated', before, saved);
      return saved;
    });
  }

  async remove(actor: Actor, owner: EndpointOwner, id: string): Promise<void> {
    const endpoint = await this.get(owner, id);
    await this.endpoints.manager.transaction(async (tx) => {
      await tx.update(WebhookEndpoint, { id, tenantId: owner.tenantId }, { deleted: true, enabled: false });
      await this.record(tx, actor, 'webhook_endpoint.deleted', endpoint, null);
    });
  }

  /** New secret at once; the old one keeps signing (a second signature) until the overlap ends. */
  async rotateSecret(actor: Actor, owner: EndpointOwner, id: string, overlapSeconds?: number): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const { tenantId } = owner;
    const endpoint = await this.get(owner, id);
    const overlap = overlapSeconds ?? webhooksEnv.get().WEBHOOK_ROTATION_OVERLAP_SECONDS;
    const secret = newWebhookSecret();
    Object.assign(endpoint, {
      previousSecretEnc: overlap > 0 ? endpoint.secretEnc : null,
      previousSecretExpiresAt: overlap > 0 ? new Date(Date.now() + overlap * 1000) : null,
      secretEnc: seal(secret),
    });
    return this.endpoints.manager.transaction(async (tx) => {
      const saved = await tx.save(endpoint);
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'webhook_endpoint.secret_rotated',
        targetType: 'webhook_endpoint',
        targetId: id,
        after: { previous_secret_expires_at: saved.previousSecretExpiresAt?.toISOString() ?? null },
      });
      return { endpoint: saved, secret };
    });
  }

  async listDeliveries(owner: EndpointOwner, id: string, query: ListQuery) {
    const { tenantId } = owner;
    await this.get(owner, id);
    const qb = this.deliveries.createQueryBuilder('d').where('d.tenant_id = :tenantId AND d.endpoint_id = :id', { tenantId, id });
    return paginate(qb, query);
  }

  /** Failed deliveries since a time go out again, each with a fresh retry window. */
  async recover(actor: Actor, owner: EndpointOwner, id: string, since: Date): Promise<number> {
    const { tenantId } = owner;
    const endpoint = await this.get(owner, id);
    if (!endpoint.enabled) {
      throw new DomainError('webhook_endpoint_disabled', `Webhook endpoint '${id}' is disabled; enable it (PATCH enabled: true) before recovering.`);
    }
    return this.endpoints.manager.transaction(async (tx) => {
      const res = await tx
        .createQueryBuilder(WebhookDelivery, 'd')
        .update()
        .set({ status: 'pending', nextAttemptAt: () => 'now()', enqueuedAt: null, windowStartedAt: () => 'now()' })
        .where('tenant_id = :tenantId AND endpoint_id = :id AND status = :failed AND created_at >= :since', { tenantId, id, failed: 'failed', since })
        .execute();
      const count = res.affected ?? 0;
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'webhook_endpoint.recovered',
        targetType: 'webhook_endpoint',
        targetId: id,
        after: { since: since.toISOString(), deliveries: count },
      });
      return count;
    });
  }

  /** Where deliveries go and what they carry; never a secret. */
  private record(tx: EntityManager, actor: Actor, action: string, before: WebhookEndpoint | null, after: WebhookEndpoint | null): Promise<void> {
    const view = (e: WebhookEndpoint | null) => e && { url: e.url, description: e.description, enabled_events: e.enabledEvents, enabled: e.enabled };
    const target = (after ?? before)!;
    return this.audit.record(tx, actor, {
      tenantId: target.tenantId,
      action,
      targetType: 'webhook_endpoint',
      targetId: target.id,
      before: view(before),
      after: view(after),
    });
  }
}
