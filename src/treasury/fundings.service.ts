import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../audit/index.js';
import { AuditService } from '../audit/index.js';
import { newId } from '../platform/http/ids.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import type { CreateFundingDto } from './dto/create-funding.dto.js';
import { AllocationsService } from './allocations.service.js';
import { Funding } from './funding.entity.js';
import { closedPeriodRefusal, PeriodClose } from './period-close.service.js';
import { treasuryProblems } from './treasury-problems.js';

const FUNDING_LOCK = 0x66756e64; // 'fund'

/** USD per TAO as an integer scaled by 1e9, from decimal text. */
function scaledRate(rate: string): bigint {
  const [whole, frac = ''] = rate.split('.');
  return BigInt(whole!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
}

/** TAO entering the treasury against allocated fiat, recorded by finance. */
@Injectable()
export class FundingsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly allocations: AllocationsService, private readonly periods: PeriodClose) {}

  async create(dto: CreateFundingDto, actor: Actor): Promise<Funding> {
    const rao = BigInt(dto.amount_rao);
    const cents = BigInt(dto.usd_cents);
    const expected = (rao * scaledRate(dto.rate) * 100n) / 1_000_000_000_000_000_000n;
    const diff = expected > cents ? expected - cents : cents - expected;
    if (diff * 100n > cents) throw treasuryProblems.fundingRateMismatch();
    // Checked against what is allocated: revenue the worker has not swept yet counts too.
    await this.allocations.sweep();
    return this.db.transaction(async (manager) => {
      // Fundings are checked against the running totals: one at a time.
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FUNDING_LOCK]);
      const receivedAt = dto.received_at ? new Date(dto.received_at) : new Date();
      await this.periods.assertOpen(manager, receivedAt);
      const [row] = (await manager.query(
        `SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM treasury_allocations)::text AS allocated, (SELECT COALESCE(SUM(usd_cents), 0) FROM treasury_fundings)::text AS funded`,
      )) as { allocated: string; funded: string }[];
      const unfunded = BigInt(row!.allocated) - BigInt(row!.funded);
      if (cents > unfunded) throw treasuryProblems.fundingExceedsAllocations(unfunded < 0n ? 0n : unfunded);
      const exists = await manager.getRepository(Funding).existsBy({ externalReference: dto.external_reference });
      if (exists) throw treasuryProblems.fundingDuplicate();
      const funding = manager.getRepository(Funding).create({
        id: newId('funding'),
        amountRao: rao.toString(),
        usdCents: cents.toString(),
        rate: dto.rate,
        source: dto.source,
        externalReference: dto.external_reference,
        receivedAt,
        createdBy: actor.id,
      });
      await manager.insert(Funding, funding);
      await this.audit.record(manager, actor, { tenantId: null, action: 'treasury_funding.created', targetType: 'funding', targetId: funding.id, after: { ...dto } });
      return manager.getRepository(Funding).findOneByOrFail({ id: funding.id });
    }).catch(closedPeriodRefusal);
  }

  list(query: ListQuery) {
    return paginate(this.db.getRepository(Funding).createQueryBuilder('f'), query);
  }
}
