import pg from 'pg';

/** The default parser (postgres-date): any form PostgreSQL may send, with any offset, BC years, infinity. */
const parseAnyTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date | number | null;

/** What PostgreSQL sends for a timestamptz in a UTC session, from year 1000 on: `2026-12-07 02:42:22.374123+00`. */
const UTC_STAMP = /^[1-9]\d{3}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?\+00$/;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/**
 * A timestamptz as a Date, read from its digits when it has the UTC form above, else by the
 * default parser. The same Date (to the millisecond, the sub-millisecond digits dropped) as the
 * default's: its three regular expressions per value were 6–7 % of listing 100 videos, which carry
 * up to eight timestamps each (issue 36).
 */
export function parseTimestamptz(text: string): Date | number | null {
  if (!UTC_STAMP.test(text)) return parseAnyTimestamptz(text);
  const fraction = Math.min(3, text.length - 23);
  const ms = fraction > 0 ? digits(text, 20, fraction) * 10 ** (3 - fraction) : 0;
  return new Date(Date.UTC(digits(text, 0, 4), digits(text, 5, 2) - 1, digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2), ms));
}

/** pg's per-query type parsers: timestamptz through parseTimestamptz, everything else as pg's defaults. */
export const hotReadTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMPTZ && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
