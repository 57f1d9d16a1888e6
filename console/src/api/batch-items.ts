import type { Connection } from './connection.js';

type Item = Record<string, unknown>;
const NUMERIC = new Set(['duration_seconds', 'seed']);

/** The rows of a CSV (header row first) or JSONL file as batch items; an empty CSV cell is an absent field, as in the API's own CSV reading. */
async function readItems(file: File): Promise<Item[]> {
  const text = await file.text();
  if (/\.jsonl$/i.test(file.name) || text.trimStart().startsWith('{')) {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Item);
  }
  // Loaded only when a batch names local images: the parser is not part of the initial bundle.
  const { parse } = await import('csv-parse/browser/esm/sync');
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).flatMap(([k, v]) => (v === '' ? [] : [[k, NUMERIC.has(k) && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v]]))),
  );
}

/**
 * A batch file whose `image` cells name files chosen beside it (`mug.png`): each named image is
 * uploaded once (`POST /v1/files`) and the rows sent inline with its `file_` id instead.
 */
export async function itemsWithLocalImages(connection: Connection, file: File, images: File[]): Promise<Item[]> {
  const items = await readItems(file);
  const byName = new Map(images.map((i) => [i.name, i]));
  const uploaded = new Map<string, string>();
  for (const item of items) {
    const name = typeof item.image === 'string' ? item.image : undefined;
    const local = name ? byName.get(name) : undefined;
    if (!name || !local) continue;
    if (!uploaded.has(name)) uploaded.set(name, (await connection.client.files.upload(local, name)).id);
    item.image = uploaded.get(name);
  }
  return items;
}
