import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

/**
 * PromQL parsed by Prometheus' own grammar (@prometheus-io/lezer-promql) and evaluated at one
 * instant over synthetic series, enough to ask "does this alert fire on these series": selectors
 * and label matchers, rate/increase/delta over a range (each series gives its value at the start
 * of the range, `before`, and now), sum/max/min/avg/count with by/without, histogram_quantile,
 * clamp_min/clamp_max, arithmetic, comparisons and and/or/unless with on()/ignoring(). Anything
 * else throws, so a rule rewritten into another shape fails its test instead of passing quietly.
 */
export interface Series {
  name: string;
  labels?: Record<string, string>;
  /** The value now. */
  now: number;
  /** The value at the start of any range a function reads (a counter's earlier value); a gauge leaves it out. */
  before?: number;
}

type Labels = Record<string, string>;
type Value =
  | { kind: 'scalar'; v: number }
  | { kind: 'vector'; samples: { labels: Labels; v: number }[] }
  | { kind: 'matrix'; seconds: number; samples: { labels: Labels; before: number; now: number }[] };

/** Every metric name an expression selects; throws when Prometheus' grammar does not parse it. */
export function metricNames(expr: string): string[] {
  const tree = parser.parse(expr);
  const names = new Set<string>();
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) throw new Error(`PromQL does not parse at ${n.from}: ${expr}`);
      if (n.name === 'VectorSelector') {
        const id = n.node.getChild('Identifier');
        if (id) names.add(expr.slice(id.from, id.to));
      }
    },
  });
  return [...names];
}

/** Label names an expression names on its selectors' matchers and in its by/without/on/ignoring clauses. */
export function labelNames(expr: string): { matchers: { metric: string; label: string }[]; grouping: string[] } {
  const tree = parser.parse(expr);
  const matchers: { metric: string; label: string }[] = [];
  const grouping: string[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.name === 'VectorSelector') {
        const id = n.node.getChild('Identifier');
        const metric = id ? expr.slice(id.from, id.to) : '';
        for (const m of n.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
          const label = m.getChild('LabelName')!;
          matchers.push({ metric, label: expr.slice(label.from, label.to) });
        }
      }
      if (n.name === 'GroupingLabels') for (const l of n.node.getChildren('LabelName')) grouping.push(expr.slice(l.from, l.to));
    },
  });
  return { matchers, grouping };
}

/** Whether the expression gives a non-empty result (an alert fires for each element) over these series. */
export function fires(expr: string, series: Series[]): boolean {
  const result = evaluate(expr, series);
  if (result.kind === 'scalar') throw new Error(`an alert expression gives a vector, not a scalar: ${expr}`);
  return result.kind === 'vector' && result.samples.length > 0;
}

export function evaluate(expr: string, series: Series[]): Value {
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) throw new Error(`PromQL does not parse at ${n.from}: ${expr}`);
    },
  });
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const children = (n: SyntaxNode): SyntaxNode[] => {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  };
  const unquote = (s: string) => JSON.parse(s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s) as string;
  const stripName = ({ __name__: _, ...rest }: Labels) => rest;
  const key = (l: Labels, only?: string[], without?: string[]) =>
    JSON.stringify(
      Object.entries(l)
        .filter(([k]) => (only ? only.includes(k) : !(without ?? []).includes(k)))
        .sort(([a], [b]) => a.localeCompare(b)),
    );

  const select = (n: SyntaxNode) => {
    const id = n.getChild('Identifier');
    const name = id ? text(id) : undefined;
    const tests = (n.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []).map((m) => {
      const label = text(m.getChild('LabelName')!);
      const op = m.getChild('MatchOp')!.firstChild!.name;
      const value = unquote(text(m.getChild('StringLiteral')!));
      return (l: Labels) => {
        const v = l[label] ?? '';
        if (op === 'EqlSingle') return v === value;
        if (op === 'Neq') return v !== value;
        const re = new RegExp(`^(?:${value})$`);
        if (op === 'EqlRegex') return re.test(v);
        if (op === 'NeqRegex') return !re.test(v);
        throw new Error(`unsupported matcher ${op}`);
      };
    });
    return series
      .map((s) => ({ labels: { __name__: s.name, ...s.labels }, before: s.before ?? s.now, now: s.now }))
      .filter((s) => (name === undefined || s.labels.__name__ === name) && tests.every((t) => t(s.labels)));
  };

  const seconds = (d: string) => {
    const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
    if (!m) throw new Error(`unsupported duration ${d}`);
    return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 'ms']!;
  };

  const vector = (v: Value, what: string) => {
    if (v.kind !== 'vector') throw new Error(`${what} needs an instant vector`);
    return v.samples;
  };

  const quantile = (q: number, buckets: { le: number; v: number }[]) => {
    buckets.sort((a, b) => a.le - b.le);
    const total = buckets.at(-1)?.v ?? 0;
    if (!buckets.length || buckets.at(-1)!.le !== Number.POSITIVE_INFINITY || total === 0) return Number.NaN;
    const rank = q * total;
    const i = buckets.findIndex((b) => b.v >= rank);
    if (i === buckets.length - 1) return buckets.at(-2)?.le ?? Number.NaN;
    const lower = i === 0 ? 0 : buckets[i - 1]!.le;
    const below = i === 0 ? 0 : buckets[i - 1]!.v;
    return lower + ((buckets[i]!.le - lower) * (rank - below)) / (buckets[i]!.v - below);
  };

  const call = (n: SyntaxNode): Value => {
    const fn = text(n.getChild('FunctionIdentifier')!);
    const args = children(n.getChild('FunctionCallBody')!).filter((c) => !['(', ')', ','].includes(c.name));
    if (fn === 'rate' || fn === 'increase' || fn === 'delta') {
      const m = ev(args[0]!);
      if (m.kind !== 'matrix') throw new Error(`${fn} needs a range`);
      return {
        kind: 'vector',
        samples: m.samples.map((s) => ({ labels: stripName(s.labels), v: fn === 'rate' ? (s.now - s.before) / m.seconds : s.now - s.before })),
      };
    }
    if (fn === 'clamp_min' || fn === 'clamp_max') {
      const bound = ev(args[1]!);
      if (bound.kind !== 'scalar') throw new Error(`${fn} needs a scalar bound`);
      const pick = fn === 'clamp_min' ? Math.max : Math.min;
      return { kind: 'vector', samples: vector(ev(args[0]!), fn).map((s) => ({ labels: stripName(s.labels), v: pick(s.v, bound.v) })) };
    }
    if (fn === 'histogram_quantile') {
      const q = ev(args[0]!);
      if (q.kind !== 'scalar') throw new Error('histogram_quantile needs a scalar quantile');
      const groups = new Map<string, { labels: Labels; buckets: { le: number; v: number }[] }>();
      for (const s of vector(ev(args[1]!), fn)) {
        const { le, ...rest } = stripName(s.labels);
        if (le === undefined) continue;
        const k = key(rest);
        const g = groups.get(k) ?? { labels: rest, buckets: [] };
        g.buckets.push({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), v: s.v });
        groups.set(k, g);
      }
      return { kind: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, v: quantile(q.v, g.buckets) })) };
    }
    throw new Error(`unsupported function ${fn}`);
  };

  const aggregate = (n: SyntaxNode): Value => {
    const op = n.getChild('AggregateOp')!.firstChild!.name;
    const modifier = n.getChild('AggregateModifier');
    const labels = modifier?.getChild('GroupingLabels')?.getChildren('LabelName').map(text) ?? [];
    const without = modifier?.firstChild?.name === 'Without';
    const body = children(n.getChild('FunctionCallBody')!).filter((c) => !['(', ')', ','].includes(c.name));
    const groups = new Map<string, { labels: Labels; values: number[] }>();
    for (const s of vector(ev(body[0]!), op)) {
      const l = stripName(s.labels);
      const kept = Object.fromEntries(Object.entries(l).filter(([k]) => (without ? !labels.includes(k) : labels.includes(k))));
      const k = key(kept);
      const g = groups.get(k) ?? { labels: kept, values: [] };
      g.values.push(s.v);
      groups.set(k, g);
    }
    const reduce: Record<string, (v: number[]) => number> = {
      Sum: (v) => v.reduce((a, b) => a + b, 0),
      Max: (v) => Math.max(...v),
      Min: (v) => Math.min(...v),
      Avg: (v) => v.reduce((a, b) => a + b, 0) / v.length,
      Count: (v) => v.length,
    };
    if (!reduce[op]) throw new Error(`unsupported aggregation ${op}`);
    return { kind: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, v: reduce[op]!(g.values) })) };
  };

  const binary = (n: SyntaxNode): Value => {
    const parts = children(n);
    const lhs = ev(parts[0]!);
    const rhs = ev(parts.at(-1)!);
    const op = parts[1]!.name;
    const matching = n.getChild('MatchingModifierClause');
    const on = matching?.firstChild?.name === 'On' ? (matching.getChild('GroupingLabels')?.getChildren('LabelName').map(text) ?? []) : undefined;
    const ignoring = matching?.firstChild?.name === 'Ignoring' ? (matching.getChild('GroupingLabels')?.getChildren('LabelName').map(text) ?? []) : undefined;
    const matchKey = (l: Labels) => key(stripName(l), on, ignoring);
    const arith: Record<string, (a: number, b: number) => number> = {
      Add: (a, b) => a + b,
      Sub: (a, b) => a - b,
      Mul: (a, b) => a * b,
      Div: (a, b) => a / b,
    };
    const compare: Record<string, (a: number, b: number) => boolean> = {
      Gtr: (a, b) => a > b,
      Lss: (a, b) => a < b,
      Gte: (a, b) => a >= b,
      Lte: (a, b) => a <= b,
      EqlSingle: (a, b) => a === b,
      Eql: (a, b) => a === b,
      Neq: (a, b) => a !== b,
    };
    if (op === 'And' || op === 'Or' || op === 'Unless') {
      const l = vector(lhs, op);
      const r = vector(rhs, op);
      const rKeys = new Set(r.map((s) => matchKey(s.labels)));
      if (op === 'And') return { kind: 'vector', samples: l.filter((s) => rKeys.has(matchKey(s.labels))) };
      if (op === 'Unless') return { kind: 'vector', samples: l.filter((s) => !rKeys.has(matchKey(s.labels))) };
      const lKeys = new Set(l.map((s) => matchKey(s.labels)));
      return { kind: 'vector', samples: [...l, ...r.filter((s) => !lKeys.has(matchKey(s.labels)))] };
    }
    const apply = (a: number, b: number): number | null => {
      if (arith[op]) return arith[op](a, b);
      if (compare[op]) return compare[op](a, b) ? a : null;
      throw new Error(`unsupported operator ${op}`);
    };
    if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
      if (!arith[op]) throw new Error('a comparison of two scalars needs bool');
      return { kind: 'scalar', v: arith[op](lhs.v, rhs.v) };
    }
    const out = (labels: Labels, v: number | null) => (v === null || Number.isNaN(v) ? [] : [{ labels: arith[op] ? stripName(labels) : labels, v }]);
    if (rhs.kind === 'scalar') return { kind: 'vector', samples: vector(lhs, op).flatMap((s) => out(s.labels, apply(s.v, rhs.v))) };
    if (lhs.kind === 'scalar')
      return {
        kind: 'vector',
        samples: vector(rhs, op).flatMap((s) => out(s.labels, apply(lhs.v, s.v) === null ? null : arith[op] ? apply(lhs.v, s.v) : s.v)),
      };
    const right = new Map(vector(rhs, op).map((s) => [matchKey(s.labels), s]));
    return {
      kind: 'vector',
      samples: vector(lhs, op).flatMap((s) => {
        const match = right.get(matchKey(s.labels));
        return match ? out(s.labels, apply(s.v, match.v)) : [];
      }),
    };
  };

  const ev = (n: SyntaxNode): Value => {
    switch (n.name) {
      case 'PromQL':
        return ev(n.firstChild!);
      case 'ParenExpr':
        return ev(children(n).find((c) => c.name !== '(' && c.name !== ')')!);
      case 'NumberDurationLiteral':
        return { kind: 'scalar', v: Number(text(n)) };
      case 'VectorSelector':
        return { kind: 'vector', samples: select(n).map((s) => ({ labels: s.labels, v: s.now })) };
      case 'MatrixSelector':
        return { kind: 'matrix', seconds: seconds(text(n.getChild('DurationExpr')!)), samples: select(n.getChild('VectorSelector')!) };
      case 'FunctionCall':
        return call(n);
      case 'AggregateExpr':
        return aggregate(n);
      case 'BinaryExpr':
        return binary(n);
      default:
        throw new Error(`unsupported PromQL node ${n.name} in ${expr}`);
    }
  };
  return ev(tree.topNode);
}
