import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../audit/index.js';
import { AuditService } from '../audit/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { newId } from '../platform/http/ids.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import type { CreateFundingDto } from './dto/create-funding.dto.js';
import { AllocationsService } from './allocations.service.js';
import { Funding } from './funding.entity.js';
import { FundingTransfers } from './funding-transfer.js';
import { fiatAt } from './money.js';
import { closedPeriodRefusal, PeriodClose } from './period-close.service.js';

const FUNDING_LOCK = 0x66756e64; // 'fund'
const UNIQUE_VIOLATION = '23505';

/** TAO entering the treasury against allocated fiat: the TAO proven by its transfer on chain, the fiat as finance paid it. */
@Injectable()
export class FundingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly allocations: AllocationsService,
    private readonly transfers: FundingTransfers,
    private readonly periods: PeriodClose,
  ) {}

  async create(dto: CreateFundingDto, actor: Actor): Promise<Funding> {
    const currency = dto.currency.toLowerCase();
    const transfer = await this.transfers.prove(dto.transfer_block_number, dto.transfer_extrinsic_index, dto.transfer_extrinsic_hash);
    const fiat = BigInt(dto.fiat_minor);
    const expected = fiatAt(transfer.amountRao, dto.rate);
    const diff = expected > fiat ? expected - fiat : fiat - expected;
    if (diff * 100n > fiat) {
      throw new DomainError(
        'funding_rate_mismatch',
        `fiat_minor ${fiat} differs from the transferred ${transfer.amountRao} RAO × rate ${dto.rate} = ${expected} by more than 1 %.`,
        { amount_rao: transfer.amountRao.toString() },
      );
    }
    // Checked against what is allocated: revenue the worker has not swept yet counts too.
    await this.allocations.sweep();
    return this.db
      .transaction(async (manager) => {
        // Fundings are checked against the running totals: one at a time.
        await manager.query('SELECT pg_advisory_xact_lock($1)', [FUNDING_LOCK]);
        const receivedAt = transfer.at ?? new Date();
        await this.periods.assertOpen(manager, receivedAt);
        const [row] = (await manager.query(
          `SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM treasury_allocations WHERE currency = $1)::text AS allocated,
                (SELECT COALESCE(SUM(fiat_minor), 0) FROM treasury_fundings WHERE currency = $1)::text AS funded`,
          [currency],
        )) as { allocated: string; funded: string }[];
        const unfunded = BigInt(row!.allocated) - BigInt(row!.funded);
        if (fiat > unfunded) {
          const left = unfunded < 0n ? 0n : unfunded;
          throw new DomainError('funding_exceeds_allocations', `fiat_minor exceeds what is allocated in ${currency} and not yet funded (${left}).`, {
            unfunded_minor: Number(left),
            currency,
          });
        }
        const repo = manager.getRepository(Funding);
        if (await repo.existsBy({ externalReference: dto.external_reference }))
          throw new DomainError('funding_duplicate_reference', 'A funding with this external_reference is already recorded.');
        const used = await repo.findOneBy({ transferBlockNumber: String(transfer.blockNumber), transferExtrinsicIndex: transfer.index });
        if (used) throw alreadyUsed(used.id);
        const funding = repo.create({
          id: newId('funding'),
          amountRao: transfer.amountRao.toString(),
          fiatMinor: fiat.toString(),
          currency,
          rate: dto.rate,
          rateSource: dto.rate_source,
          rateReadAt: new Date(dto.rate_read_at),
          source: dto.source,
          externalReference: dto.external_reference,
          transferBlockNumber: String(transfer.blockNumber),
          transferExtrinsicIndex: transfer.index,
          transferBlockHash: transfer.blockHash,
          transferHash: transfer.hash,
          transferFrom: transfer.from,
          receivedAt,
          createdBy: actor.id,
        });
        try {
          await manager.insert(Funding, funding);
        } catch (e) {
          // The unique index on the transfer is the last word should a check above ever be bypassed.
          if ((e as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) throw alreadyUsed(null);
          throw e;
        }
        await this.audit.record(manager, actor, {
          tenantId: null,
          action: 'treasury_funding.created',
          targetType: 'funding',
          targetId: funding.id,
          after: { ...dto, currency, amount_rao: funding.amountRao, transfer_hash: transfer.hash, transfer_from: transfer.from },
        });
        return repo.findOneByOrFail({ id: funding.id });
      })
      .catch(closedPeriodRefusal);
  }

  list(query: ListQuery) {
    return paginate(this.db.getRepository(Funding).createQueryBuilder('f'), query);
  }
}

function alreadyUsed(fundingId: string | null): DomainError {
  return new DomainError(
    'funding_transfer_already_used',
    fundingId ? `Funding ${fundingId} already names this transfer.` : 'Another funding already names this transfer.',
    fundingId ? { funding_id: fundingId } : {},
  );
}
