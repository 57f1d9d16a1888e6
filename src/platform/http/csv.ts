import type { Request, Response } from 'express';

/**
 * One CSV cell: RFC 4180 quoting, and a text starting with = + - @ (or a tab / carriage return,
 * which some spreadsheets strip before looking) is prefixed with ' so a spreadsheet never runs it
 * as a formula. Plain negative integers (refunds, amounts) stay numbers.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (with its CRLF) from values in column order. */
export const csvLine = (values: readonly unknown[]): string => `${values.map(csvCell).join(',')}\r\n`;

/** A whole CSV document: the header, then one line per row. */
export function toCsv<C extends string>(columns: readonly C[], rows: Iterable<Record<C, unknown>>): string {
  let out = csvLine(columns);
  for (const row of rows) out += csvLine(columns.map((c) => row[c]));
  return out;
}

/** True when the client asked for CSV: `?format=csv` (which wins), or an Accept header that names text/csv. */
export function wantsCsv(req: Request, format: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(req.headers.accept ?? '');
}

/**
 * Streams a CSV download page by page, so an export of any size never sits in memory at once.
 * `pages` yields row batches; each is written as soon as it is read (backpressure respected).
 */
export async function streamCsv<C extends string>(
  res: Response,
  filename: string,
  columns: readonly C[],
  pages: AsyncIterable<Record<C, unknown>[]>,
): Promise<void> {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => res.once('drain', resolve)));
  try {
    await write(csvLine(columns));
    for await (const rows of pages) {
      if (res.destroyed) return;
      if (rows.length) await write(rows.map((row) => csvLine(columns.map((c) => row[c]))).join(''));
    }
    res.end();
  } catch (e) {
    // Once the header line is out a problem document can no longer be sent: cut the download
    // short so the client sees a failed transfer rather than a silently truncated file.
    if (!res.headersSent) throw e;
    res.destroy(e as Error);
  }
}
