import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DomainError } from '../platform/http/domain-error.js';
import { CSV_COLUMNS } from './batch-row.js';

export type InputFormat = 'jsonl' | 'csv';

/** One input row: its 1-based number (CSV data rows, not counting the header) and the item, or why it could not be read. */
export type InputRow = { row: number; raw: unknown } | { row: number; unreadable: string };

const inputInvalid = (detail: string) => new DomainError('batch_input_invalid', detail);

/** The format named by the client, else the file name, else the content (`sniffed`: see sniffFormat). */
export async function detectFormat(named: string | undefined, filename: string | undefined, sniffed: () => Promise<InputFormat>): Promise<InputFormat> {
  if (named === 'jsonl' || named === 'csv') return named;
  if (named !== undefined) throw inputInvalid(`format '${named.slice(0, 20)}' is not one of jsonl, csv.`);
  const ext = filename?.toLowerCase().match(/\.(csv|jsonl|ndjson)$/)?.[1];
  if (ext) return ext === 'csv' ? 'csv' : 'jsonl';
  return sniffed();
}

/** A JSON object first means JSONL, anything else CSV; `head` is the file's first bytes (64 are plenty). */
export function sniffFormat(head: Buffer): InputFormat {
  const first = head
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  return first === '{' ? 'jsonl' : 'csv';
}

/**
 * Rows of a JSONL file read as a stream of chunks: one JSON object per line; blank lines are
 * skipped but keep their number out of the count. Only the line being read is held, so a file of
 * BATCH_INPUT_MAX_BYTES is never whole in memory (a line's parts are joined once: a long
 * data-URI line costs one copy, not one per chunk).
 */
export async function* jsonlRows(chunks: AsyncIterable<Buffer>): AsyncGenerator<InputRow> {
  let row = 0;
  let pending: Buffer[] = [];
  const parseLine = (bytes: Buffer): InputRow | null => {
    const line = bytes.toString('utf8').trim();
    if (line === '') return null;
    row++;
    try {
      return { row, raw: JSON.parse(line) };
    } catch {
      return { row, unreadable: 'the line is not valid JSON' };
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, end));
      const parsed = parseLine(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
      pending = [];
      start = end + 1;
      if (parsed) yield parsed;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  const last = pending.length ? parseLine(Buffer.concat(pending)) : null;
  if (last) yield last;
}

/**
 * Rows of a CSV file with a header row naming the columns (any order, unknown ones refused),
 * parsed by csv-parse as a stream: quoting, embedded newlines and a BOM are its business.
 */
export async function* csvRows(chunks: AsyncIterable<Buffer>): AsyncGenerator<InputRow> {
  const source = Readable.from(chunks);
  const parser = source.pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      trim: false,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
        if (unknown.length)
          throw inputInvalid(`Unknown CSV column(s) ${unknown.map((u) => `'${u.slice(0, 40)}'`).join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}.`);
        if (!names.includes('custom_id') || !names.includes('prompt') || !names.includes('image'))
          throw inputInvalid(`The CSV header must name at least custom_id, image and prompt (columns: ${CSV_COLUMNS.join(', ')}).`);
        return names;
      },
    }),
  );
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) yield { row: ++row, raw: record };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    // csv-parse stops at the first malformed record (an unclosed quote, a wrong number of cells).
    throw inputInvalid(`The CSV cannot be read after data row ${row}: ${(e as Error).message.slice(0, 200)}`);
  } finally {
    // A reader that stopped early (too many rows, a refused header) closes the file under it.
    source.destroy();
  }
}

export async function* inlineRows(items: unknown[]): AsyncGenerator<InputRow> {
  for (let i = 0; i < items.length; i++) yield { row: i + 1, raw: items[i] };
}
