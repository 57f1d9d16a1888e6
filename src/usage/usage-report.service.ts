import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { currency } from './price-book.js';
import { lineageKeys } from '../keys/index.js';
import { BOTH_MODES, type ModeScope } from '../core/mode-scope.js';

export type UsageGroupBy = 'day' | 'api_key' | 'resolution';

export interface UsageTotals {
  videos: number;
  video_seconds: number;
  included_seconds_used: number;
  overage_seconds: number;
  amount: number;
  credits_applied: number;
}

export interface UsageRow {
  video_id: string;
  tenant_id: string;
  api_key_id: string | null;
  livemode: boolean;
  video_seconds: number;
  resolution: string;
  included_seconds_used: number;
  overage_seconds: number;
  unit_amount: number;
  amount: number;
  credits_applied: number;
  currency: string;
  created_at: string;
}

const TOTALS = `count(*)::int as videos, coalesce(sum(video_seconds), 0)::bigint as video_seconds,
  coalesce(sum(included_seconds_used), 0)::bigint as included_seconds_used, coalesce(sum(overage_seconds), 0)::bigint as overage_seconds,
  coalesce(sum(amount_minor), 0)::bigint as amount, coalesce(sum(credits_applied_minor), 0)::bigint as credits_applied`;

/** Group keys are fixed SQL, never from the request: group_by is validated against this map. */
const GROUP_KEY: Record<UsageGroupBy, string> = {
  day: `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`,
  api_key: `coalesce(api_key_id, '')`,
  resolution: 'resolution',
};

/** Usage history read from the usage records, the one place every settled second and its cost is written. */
@Injectable()
export class UsageReportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `livemode`: one mode's rows (a tenant's key reads its own mode's usage). */
  async totals(tenantId: string, from: Date, to: Date, keyIds: string[] | undefined, livemode: boolean): Promise<UsageTotals & { currency: string }> {
    const [row] = (await this.db.query(
      `select ${TOTALS} from usage_records where tenant_id = $1 and created_at >= $2 and created_at < $3 and ($4::text[] is null or api_key_id = any($4))
         and livemode = $5`,
      [tenantId, from, to, keyIds ?? null, livemode],
    )) as Record<string, string | number>[];
    return { ...numbers(row!), currency: currency() };
  }

  /** The ids of every key in a roll lineage: a key's budget and its spend follow the lineage. */
  lineageKeys(tenantId: string, lineageId: string): Promise<string[]> {
    return lineageKeys(this.db, tenantId, lineageId);
  }

  async grouped(tenantId: string, from: Date, to: Date, by: UsageGroupBy, livemode: boolean): Promise<(UsageTotals & { key: string })[]> {
    const rows = (await this.db.query(
      `select ${GROUP_KEY[by]} as key, ${TOTALS} from usage_records where tenant_id = $1 and created_at >= $2 and created_at < $3
         and livemode = $4 group by 1 order by 1`,
      [tenantId, from, to, livemode],
    )) as Record<string, string | number>[];
    return rows.map((r) => ({ key: String(r.key), ...numbers(r) }));
  }

  /**
   * Every usage row in [from, to), oldest first, a page at a time (keyset on created_at, video_id),
   * so an export of any length streams without holding it in memory. No tenant: all tenants (operators).
   */
  async *rows(tenantId: string | null, from: Date, to: Date, modes: ModeScope, pageSize = 1000): AsyncGenerator<UsageRow[]> {
    const livemode = modes === BOTH_MODES ? null : modes;
    // The cursor keeps created_at as Postgres text: a JS Date would drop the microseconds and repeat rows.
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const page = (await this.db.query(
        `select video_id, tenant_id, api_key_id, livemode, video_seconds, resolution, included_seconds_used, overage_seconds,
                unit_amount_minor as unit_amount, amount_minor as amount, credits_applied_minor as credits_applied, currency, created_at, created_at::text as cursor_at
           from usage_records
          where ($1::text is null or tenant_id = $1) and created_at >= $2 and created_at < $3
            and ($4::timestamptz is null or (created_at, video_id) > ($4, $5)) and ($7::boolean is null or livemode = $7)
          order by created_at, video_id limit $6`,
        [tenantId, from, to, after?.at ?? null, after?.id ?? null, pageSize, livemode],
      )) as (Omit<UsageRow, 'created_at' | 'currency'> & { created_at: Date; currency: string; cursor_at: string })[];
      if (!page.length) return;
      const last = page[page.length - 1]!;
      after = { at: last.cursor_at, id: last.video_id };
      yield page.map(({ cursor_at: _c, ...r }) => ({ ...r, currency: r.currency.trim(), created_at: r.created_at.toISOString() }));
      if (page.length < pageSize) return;
    }
  }
}

function numbers(r: Record<string, string | number>): UsageTotals {
  return {
    videos: Number(r.videos),
    video_seconds: Number(r.video_seconds),
    included_seconds_used: Number(r.included_seconds_used),
    overage_seconds: Number(r.overage_seconds),
    amount: Number(r.amount),
    credits_applied: Number(r.credits_applied),
  };
}
