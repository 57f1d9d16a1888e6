import type { Response } from 'express';
import { DomainError } from '../platform/http/domain-error.js';
import { currentPeriod } from './period.js';
import type { UsageRow } from './usage-report.service.js';

/** The longest range one export may cover; a longer reconciliation is several exports. */
const MAX_RANGE_MS = 366 * 86_400_000;

export const EXPORT_COLUMNS = [
  'video_id',
  'tenant_id',
  'api_key_id',
  'livemode',
  'video_seconds',
  'resolution',
  'included_seconds_used',
  'overage_seconds',
  'unit_amount',
  'amount',
  'credits_applied',
  'currency',
  'created_at',
] as const;

export function exportRange(from: string | undefined, to: string | undefined): { from: Date; to: Date } {
  const range = { from: from ? new Date(from) : currentPeriod().start, to: to ? new Date(to) : new Date() };
  if (!(range.from < range.to))
    throw new DomainError('invalid_range', '`from` must be before `to`.', { errors: [{ param: 'from', code: 'invalid_range', message: 'must be before to' }] });
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_MS)
    throw new DomainError('invalid_range', 'An export covers at most 366 days.', {
      errors: [{ param: 'to', code: 'invalid_range', message: 'at most 366 days after from' }],
    });
  return range;
}

/**
 * Streams usage rows as CSV or JSON lines, page by page with backpressure. The columns are ids,
 * numbers, enums and timestamps only (no customer text), so CSV needs no quoting or formula guard.
 */
export async function streamUsage(res: Response, format: 'csv' | 'jsonl', filename: string, pages: AsyncIterable<UsageRow[]>): Promise<void> {
  res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
  const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => res.once('drain', resolve)));
  const line = (r: UsageRow) => (format === 'csv' ? `${EXPORT_COLUMNS.map((c) => r[c] ?? '').join(',')}\r\n` : `${JSON.stringify(r)}\n`);
  try {
    if (format === 'csv') await write(`${EXPORT_COLUMNS.join(',')}\r\n`);
    for await (const rows of pages) {
      if (res.destroyed) return;
      if (rows.length) await write(rows.map(line).join(''));
    }
    res.end();
  } catch (e) {
    // Once streaming started a problem document can no longer be sent: cut the download short.
    if (!res.headersSent) throw e;
    res.destroy(e as Error);
  }
}
