import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DomainError } from '../platform/http/domain-error.js';
import { CSV_COLUMNS } from './batch-row.js';

export type InputFormat = 'jsonl' | 'csv';

/** One input row: its 1-based number (CSV data rows, not counting the header) and the item, or why it could not be read. */
export type InputRow = { row: number; raw: unknown } | { row: number; unreadable: string };

const inputInvalid = (detail: string) => new DomainError('batch_input_invalid', detail);

/** The format named by the client, else the file name, else the content (a JSON object first means JSONL). */
export function detectFormat(buffer: Buffer, named: string | undefined, filename: string | undefined): InputFormat {
  if (named === 'jsonl' || named === 'csv') return named;
  if (named !== undefined) throw inputInvalid(`format '${named.slice(0, 20)}' is not one of jsonl, csv.`);
  const ext = filename?.toLowerCase().match(/\.(csv|jsonl|ndjson)$/)?.[1];
  if (ext) return ext === 'csv' ? 'csv' : 'jsonl';
  const first = buffer
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  return first === '{' ? 'jsonl' : 'csv';
}

/** Rows of a JSONL file: one JSON object per line; blank lines are skipped but keep their number out of the count. */
export async function* jsonlRows(buffer: Buffer): AsyncGenerator<InputRow> {
  let row = 0;
  let start = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(10, start);
    if (end === -1) end = buffer.length;
    const line = buffer.toString('utf8', start, end).trim();
    start = end + 1;
    if (line === '') continue;
    row++;
    try {
      yield { row, raw: JSON.parse(line) };
    } catch {
      yield { row, unreadable: 'the line is not valid JSON' };
    }
  }
}

/**
 * Rows of a CSV file with a header row naming the columns (any order, unknown ones refused),
 * parsed by csv-parse as a stream: quoting, embedded newlines and a BOM are its business.
 */
export async function* csvRows(buffer: Buffer): AsyncGenerator<InputRow> {
  const parser = Readable.from([buffer]).pipe(
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
  }
}

export async function* inlineRows(items: unknown[]): AsyncGenerator<InputRow> {
  for (let i = 0; i < items.length; i++) yield { row: i + 1, raw: items[i] };
}
