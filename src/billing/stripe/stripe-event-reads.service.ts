import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { StripeEventRecord } from './stripe-event.entity.js';
import type { StripeEventList, StripeEventListQuery, StripeEventObject, StripeEventStatus } from './stripe-event.dto.js';

const statusOf = (e: StripeEventRecord): StripeEventStatus => e.outcome ?? (e.attempts > 0 ? 'failing' : 'pending');

function present(e: StripeEventRecord): StripeEventObject {
  return {
    id: e.id,
    object: 'stripe_event',
    type: e.type,
    object_id: e.objectId,
    livemode: e.livemode,
    status: statusOf(e),
    reason: e.outcomeReason,
    attempts: e.attempts,
    last_error: e.lastError,
    received_at: e.receivedAt.toISOString(),
    processed_at: e.processedAt?.toISOString() ?? null,
  };
}

/** Operators' view of the Stripe events we received, so one that cannot be applied never goes unseen. */
@Injectable()
export class StripeEventReads {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Newest first. Stripe's ids do not sort by time, so the cursor is (received_at, id) of the event named. */
  async list(q: StripeEventListQuery): Promise<StripeEventList> {
    const limit = q.limit ?? 20;
    const qb = this.db.getRepository(StripeEventRecord).createQueryBuilder('e');
    if (q.status === 'pending') qb.andWhere('e.processedAt IS NULL AND e.attempts = 0');
    else if (q.status === 'failing') qb.andWhere('e.processedAt IS NULL AND e.attempts > 0');
    else if (q.status) qb.andWhere('e.outcome = :outcome', { outcome: q.status });
    if (q.type) qb.andWhere('e.type = :type', { type: q.type });
    if (q.starting_after) {
      qb.andWhere('(e.received_at, e.id) < (SELECT c.received_at, c.id FROM stripe_events c WHERE c.id = :cursor)', { cursor: q.starting_after });
    }
    const rows = await qb
      .orderBy('e.receivedAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .take(limit + 1)
      .getMany();
    return { object: 'list', data: rows.slice(0, limit).map(present), has_more: rows.length > limit };
  }

  /** Unmatched events received in [start, end): for the reconciliation report. */
  unmatched(start: Date, end: Date): Promise<StripeEventRecord[]> {
    return this.db
      .getRepository(StripeEventRecord)
      .createQueryBuilder('e')
      .where("e.outcome = 'unmatched' AND e.receivedAt >= :start AND e.receivedAt < :end", { start, end })
      .orderBy('e.receivedAt', 'ASC')
      .take(1000)
      .getMany();
  }
}
