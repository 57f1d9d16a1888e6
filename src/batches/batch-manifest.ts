import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Batch, RejectedRow } from './batch.entity.js';
import { BatchItems, shareToken, type ManifestCursor } from '../videos/index.js';

export const MANIFEST_COLUMNS = ['custom_id', 'variant_index', 'video_id', 'status', 'content_url', 'duration_seconds', 'error_code', 'error_message'] as const;
type ManifestRow = Record<(typeof MANIFEST_COLUMNS)[number], string | number | null>;

/** Items read per query: the manifest of 50,000 rows is written page by page, never held whole. */
const PAGE = 1_000;

/**
 * A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or CR before one) as a formula;
 * a leading apostrophe makes it text (OWASP's advice for CSV injection).
 */
export function neutralise(cell: string | number | null): string | number | null {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * The results manifest: one row per video in input order (a row with `n` gives n, each with its
 * `variant_index`; rows left out by on_invalid "skip" as one `rejected` row), streamed as JSONL or CSV with back-pressure. A content URL
 * is the API's own download link (authenticated; it redirects to a fresh presigned URL), not a
 * presigned one: a manifest of 50,000 rows is saved and used for days, long after any presigned
 * URL in it would have expired.
 */
@Injectable()
export class BatchManifest {
  constructor(private readonly items: BatchItems) {}

  /**
   * `origin`: where the API is reached (PUBLIC_BASE_URL, else the request's own), for absolute
   * links; `shareUntil`: give signed share links (no key needed) that expire then, instead.
   */
  async write(batch: Batch, format: 'jsonl' | 'csv', res: Response, origin: string, shareUntil?: Date): Promise<void> {
    const link = (id: string) =>
      shareUntil
        ? `${origin}/v1/shared/${shareToken({ tenantId: batch.tenantId, videoId: id, livemode: batch.livemode, expiresAt: shareUntil })}`
        : `${origin}/v1/videos/${id}/content`;
    res.status(200).set({
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8',
      'Content-Disposition': `attachment; filename="${batch.id}.${format}"`,
      'Cache-Control': 'no-store',
    });
    await this.stream(batch, format, res, link);
  }

  /**
   * The rows into `out` (a response, or the file the manifest relay sends to a destination), with
   * back-pressure; stops early when `out` closes (a client that went away). Ends `out`.
   */
  async stream(batch: Batch, format: 'jsonl' | 'csv', out: Writable, link: (videoId: string) => string): Promise<void> {
    let aborted = false;
    out.on('close', () => (aborted = true));
    const csv = format === 'csv' ? stringify({ header: true, columns: [...MANIFEST_COLUMNS], cast: { number: (n) => String(n) } }) : null;
    csv?.pipe(out);
    const sink = csv ?? out;
    const emit = async (row: ManifestRow) => {
      const ok = csv ? csv.write(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, neutralise(v)]))) : out.write(`${JSON.stringify(row)}\n`);
      if (!ok) await new Promise((r) => sink.once('drain', r));
    };
    const rejected = batch.rejectedRows;
    let r = 0;
    let after: ManifestCursor = { batch_index: 0, variant_index: 0 };
    while (!aborted) {
      const page = await this.items.manifestPage(batch.id, after, PAGE);
      for (let i = 0; i < page.length && !aborted; i++) {
        const v = page[i]!;
        while (r < rejected.length && rejected[r]!.row < v.batch_index) await emit(rejectedRow(rejected[r++]!));
        await emit({
          custom_id: v.custom_id,
          variant_index: v.variant_index || null,
          video_id: v.id,
          status: v.status,
          content_url: v.status === 'succeeded' && v.output ? link(v.id) : null,
          duration_seconds: v.output?.duration_seconds ?? null,
          error_code: v.error_code,
          error_message: v.error_message,
        });
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!;
    }
    while (!aborted && r < rejected.length) await emit(rejectedRow(rejected[r++]!));
    if (csv) csv.end();
    else out.end();
  }
}

function rejectedRow(r: RejectedRow): ManifestRow {
  const first = r.errors[0];
  return {
    custom_id: r.custom_id,
    variant_index: null,
    video_id: null,
    status: 'rejected',
    content_url: null,
    duration_seconds: null,
    error_code: first?.code ?? 'invalid',
    error_message: r.errors.map((e) => `${e.param}: ${e.message}`).join('; '),
  };
}
