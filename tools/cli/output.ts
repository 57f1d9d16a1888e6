import Table from 'cli-table3';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** `--json` prints what the API answered, for scripts; otherwise a table for people. */
export function print(io: Io, json: boolean, value: unknown, rows: () => Record<string, unknown>[]): void {
  if (json) return io.out(JSON.stringify(value, null, 2));
  const data = rows();
  if (!data.length) return io.out('(none)');
  const head = Object.keys(data[0]);
  // No colours: output is often piped into files and logs.
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const row of data) table.push(head.map((h) => format(row[h])));
  io.out(table.toString());
}

/** A two-column table of one object's fields. */
export function fields(o: Record<string, unknown>): Record<string, unknown>[] {
  return Object.entries(o).map(([field, value]) => ({ field, value }));
}

function format(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
