type Obj = Record<string, any>;

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Where `actual` lacks a key of `expected` or holds a value of another type, as paths. A null on
 * either side matches anything (Stripe's example objects fill nullable fields one way or the
 * other); nested objects naming a different `object` are compared against that type's fixture.
 */
export function shapeDiff(actual: Obj, expected: Obj, fixtures: Record<string, Obj>, path = ''): string[] {
  const out: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const here = path ? `${path}.${key}` : key;
    if (!(key in actual)) {
      out.push(`${here}: missing`);
      continue;
    }
    const got = actual[key];
    if (got === null || want === null || key === 'metadata') continue;
    if (kindOf(got) !== kindOf(want)) {
      out.push(`${here}: ${kindOf(got)} instead of ${kindOf(want)}`);
      continue;
    }
    if (Array.isArray(want)) {
      if (want.length && got.length && kindOf(want[0]) === 'object' && kindOf(got[0]) === 'object')
        out.push(...compareNested(got[0], want[0], fixtures, `${here}[0]`));
    } else if (kindOf(want) === 'object') {
      out.push(...compareNested(got, want, fixtures, here));
    }
  }
  return out;
}

function compareNested(got: Obj, want: Obj, fixtures: Record<string, Obj>, path: string): string[] {
  if (typeof got.object === 'string' && got.object !== want.object) {
    const other = fixtures[got.object];
    return other ? shapeDiff(got, other, fixtures, path) : [];
  }
  return shapeDiff(got, want, fixtures, path);
}
