import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { Burn, type BurnStatus } from './burn.entity.js';
import type { BurnObject } from './dto/treasury.objects.js';

/** Reads of burns for finance, the public view and the export. */
@Injectable()
export class BurnsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(query: ListQuery, statuses?: BurnStatus[]) {
    const qb = this.db.getRepository(Burn).createQueryBuilder('b');
    if (statuses) qb.where('b.status IN (:...statuses)', { statuses });
    return paginate(qb, query);
  }

  get(id: string): Promise<Burn | null> {
    return this.db.getRepository(Burn).findOneBy({ id });
  }

  /** Oldest first, for the export and the public page; capped so one request stays small. */
  all(statuses?: BurnStatus[], cap = 10_000): Promise<Burn[]> {
    const qb = this.db.getRepository(Burn).createQueryBuilder('b').orderBy('b.id', 'ASC').take(cap);
    if (statuses) qb.where('b.status IN (:...statuses)', { statuses });
    return qb.getMany();
  }

  count(statuses: BurnStatus[]): Promise<number> {
    return this.db.getRepository(Burn).createQueryBuilder('b').where('b.status IN (:...statuses)', { statuses }).getCount();
  }

  /** The allocations (and invoices) each burn pays for. */
  async allocationsOf(burnIds: string[]): Promise<Map<string, NonNullable<BurnObject['allocations']>>> {
    const out = new Map<string, NonNullable<BurnObject['allocations']>>();
    if (!burnIds.length) return out;
    const rows = (await this.db.query(
      `SELECT ba.burn_id, ba.allocation_id, a.stripe_invoice_id, ba.amount_minor::text AS amount_minor
         FROM treasury_burn_allocations ba JOIN treasury_allocations a ON a.id = ba.allocation_id
        WHERE ba.burn_id = ANY($1) ORDER BY ba.allocation_id`,
      [burnIds],
    )) as { burn_id: string; allocation_id: string; stripe_invoice_id: string | null; amount_minor: string }[];
    for (const r of rows) {
      const list = out.get(r.burn_id) ?? [];
      list.push({ allocation_id: r.allocation_id, stripe_invoice_id: r.stripe_invoice_id, amount_minor: Number(r.amount_minor) });
      out.set(r.burn_id, list);
    }
    return out;
  }
}
