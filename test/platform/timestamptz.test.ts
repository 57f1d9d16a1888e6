import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { parseTimestamptz } from '../../src/platform/database/timestamptz.js';

// The hot reads' timestamp parser must give exactly the Date pg's default parser gives for every
// text PostgreSQL can send; it only takes a shorter way for the common UTC form.
const byDefault = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => unknown;
const time = (v: unknown) => (v instanceof Date ? v.getTime() : v);

describe('parseTimestamptz', () => {
  it('reads the UTC form with 0 to 6 fraction digits as the default parser does', () => {
    const stamps = ['2026-12-07 02:42:22+00', '1999-01-01 00:00:00.5+00', '2024-02-29 23:59:59.99+00', '2026-12-07 02:42:22.374123+00'];
    for (let ms = 0; ms < 1000; ms++)
      stamps.push(`2026-06-15 12:34:56.${String(ms).padStart(3, '0')}+00`, `2026-06-15 12:34:56.${String(ms).padStart(3, '0')}999+00`);
    for (let i = 0; i < 2000; i++) {
      const d = new Date(Date.UTC(1000 + ((i * 7919) % 8999), i % 12, 1 + (i % 28), i % 24, (i * 7) % 60, (i * 13) % 60));
      stamps.push(
        `${d.toISOString().slice(0, 19).replace('T', ' ')}.${String((i * 104729) % 1_000_000)
          .padStart(6, '0')
          .slice(0, 1 + (i % 6))}+00`,
      );
    }
    for (const text of stamps) expect(time(parseTimestamptz(text)), text).toBe(time(byDefault(text)));
  });

  it('leaves every other form to the default parser: offsets, BC, years before 1000, infinity', () => {
    for (const text of [
      '2026-12-07 02:42:22.374+01',
      '2026-12-07 02:42:22-05:30',
      '2026-12-07 02:42:22+00:00:12',
      '0050-01-01 00:00:00+00',
      '0999-12-31 23:59:59.999+00',
      '2000-01-01 00:00:00+00 BC',
      'infinity',
      '-infinity',
      '12026-01-01 00:00:00+00',
    ])
      expect(time(parseTimestamptz(text)), text).toEqual(time(byDefault(text)));
  });
});
