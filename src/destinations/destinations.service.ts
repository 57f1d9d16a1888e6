import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AuditService, type Actor } from '../audit/index.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { newId } from '../platform/http/ids.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { checkKeyTemplate, checkPrefix, DEFAULT_KEY_TEMPLATE } from './delivery-key.js';
import { assertEndpointHost, parseDestinationEndpoint } from './destination-endpoint.js';
import { seal } from './destination-secret.js';
import { probeStore } from './destination-store.js';
import { Destination } from './destination.entity.js';
import { destinationsEnv } from './destinations.env.js';
import type { CreateDestinationDto } from './dto/destination.dto.js';
import { VideoDelivery } from './video-delivery.entity.js';
import type { DeliveryTarget } from './video-deliveries.js';

/** Whose destinations: a tenant's, in one mode (the other mode's destination is a 404, like another tenant's). */
export interface DestinationOwner {
  tenantId: string;
  livemode: boolean;
}

/** A tenant's destinations: each checked with a test write before it is saved; its secret sealed, never shown. */
@Injectable()
export class DestinationsService {
  constructor(
    @InjectRepository(Destination) private readonly destinations: Repository<Destination>,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, { tenantId, livemode }: DestinationOwner, dto: CreateDestinationDto): Promise<Destination> {
    const endpoint = dto.endpoint === undefined ? null : parseDestinationEndpoint(dto.endpoint);
    if (endpoint) await assertEndpointHost(endpoint);
    const draft = this.destinations.create({
      id: newId('destination'),
      tenantId,
      livemode,
      description: dto.description ?? '',
      bucket: dto.bucket,
      region: dto.region ?? 'us-east-1',
      endpoint: endpoint?.origin ?? null,
      forcePathStyle: dto.force_path_style ?? endpoint !== null,
      prefix: checkPrefix(dto.prefix ?? ''),
      accessKeyId: dto.access_key_id,
      secretEnc: seal(dto.secret_access_key),
      deleted: false,
    });
    await probeStore(draft);
    return this.destinations.manager.transaction(async (tx) => {
      // Serialises creations per tenant so two concurrent requests cannot both pass the count.
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`destinations:${tenantId}`]);
      const max = destinationsEnv.get().DESTINATION_MAX_PER_TENANT;
      if ((await tx.countBy(Destination, { tenantId, deleted: false })) >= max) {
        throw new DomainError('destination_limit_reached', `A tenant can have at most ${max} destinations; delete one before adding another.`);
      }
      const saved = await tx.save(draft);
      await this.record(tx, actor, 'destination.created', null, saved);
      return saved;
    });
  }

  async get({ tenantId, livemode }: DestinationOwner, id: string): Promise<Destination> {
    const destination = await this.destinations.findOneBy({ id, tenantId, livemode, deleted: false });
    if (!destination) throw notFound('destination', id);
    return destination;
  }

  list({ tenantId, livemode }: DestinationOwner, query: ListQuery) {
    const qb = this.destinations.createQueryBuilder('d').where('d.tenant_id = :tenantId AND d.livemode = :livemode AND NOT d.deleted', { tenantId, livemode });
    return paginate(qb, query);
  }

  /** The test write again, with the stored credentials (after a bucket policy or key change on the customer's side). */
  async test(owner: DestinationOwner, id: string): Promise<void> {
    const destination = await this.get(owner, id);
    if (destination.endpoint) await assertEndpointHost(new URL(destination.endpoint));
    await probeStore(destination);
  }

  /** Deleted: nothing more is copied there; pending deliveries to it fail with that reason. */
  async remove(actor: Actor, owner: DestinationOwner, id: string): Promise<void> {
    const destination = await this.get(owner, id);
    await this.destinations.manager.transaction(async (tx) => {
      await tx.update(Destination, { id, tenantId: owner.tenantId }, { deleted: true });
      await this.record(tx, actor, 'destination.deleted', destination, null);
    });
  }

  /**
   * What a new video or batch names, checked before anything is reserved: a live destination of
   * the caller's tenant and mode (else 404), and a safe key template.
   */
  async target(owner: DestinationOwner, destinationId: string, keyTemplate: string | undefined, hasCustomId: boolean): Promise<DeliveryTarget> {
    await this.get(owner, destinationId);
    return { destination_id: destinationId, key_template: checkKeyTemplate(keyTemplate ?? DEFAULT_KEY_TEMPLATE, 'destination_key', hasCustomId) };
  }

  /** Where it goes and as whom; never the secret. */
  private record(tx: EntityManager, actor: Actor, action: string, before: Destination | null, after: Destination | null): Promise<void> {
    const view = (d: Destination | null) => d && { bucket: d.bucket, region: d.region, endpoint: d.endpoint, prefix: d.prefix, access_key_id: d.accessKeyId };
    const target = (after ?? before)!;
    return this.audit.record(tx, actor, {
      tenantId: target.tenantId,
      action,
      targetType: 'destination',
      targetId: target.id,
      before: view(before),
      after: view(after),
    });
  }
}

/** A failed or delivered video's copy, started again from the first attempt. */
@Injectable()
export class Redeliveries {
  constructor(@InjectRepository(VideoDelivery) private readonly deliveries: Repository<VideoDelivery>) {}

  async redeliver({ tenantId, livemode }: DestinationOwner, videoId: string): Promise<VideoDelivery> {
    return this.deliveries.manager.transaction(async (tx) => {
      const d = await tx.findOne(VideoDelivery, { where: { videoId, tenantId, livemode }, lock: { mode: 'pessimistic_write' } });
      if (!d) throw new DomainError('delivery_not_found', `Video '${videoId}' has no delivery: it named no destination, or has not succeeded yet.`);
      if (d.status === 'pending')
        throw new DomainError('delivery_in_progress', `The delivery of video '${videoId}' is still pending (attempt ${d.attempts}); wait for it to end.`);
      Object.assign(d, { status: 'pending', attempts: 0, lastError: null, nextAttemptAt: new Date(), deliveredAt: null });
      return tx.save(d);
    });
  }
}
