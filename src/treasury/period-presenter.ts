import type { TreasuryPeriodObject } from './dto/period.objects.js';
import type { PeriodClose } from './period-close.service.js';
import type { TreasuryPeriod } from './treasury-period.entity.js';

export async function presentPeriod(periods: PeriodClose, p: TreasuryPeriod): Promise<TreasuryPeriodObject> {
  return {
    object: 'treasury_period',
    period: p.period,
    starts_at: p.startsAt.toISOString(),
    ends_at: p.endsAt.toISOString(),
    statement_sha256: p.statementSha256,
    merkle_root: p.merkleRoot,
    allocation_count: p.allocationCount,
    anchored_by: await periods.anchoredBy(p.period),
    closed_by: p.closedBy,
    closed_at: p.closedAt.toISOString(),
  };
}
