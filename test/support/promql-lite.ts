/**
 * Just enough PromQL to ask "would this alert fire, would this autoscaler scale, given these
 * series": alert expressions made of `max|sum(<selector>) <op> <number>` clauses joined by `and`,
 * where a selector is `name{label="v", label=~"re", label!="v"}` or `rate(<selector>[window])`
 * (its value given by the test: a rate needs two scrapes). Anything else throws, so an alert
 * rewritten into another shape fails its test loudly instead of passing by accident.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition → samples (comments and blank lines skipped). */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The samples a selector picks. */
export function select(selector: string, samples: Sample[]): Sample[] {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?$/.exec(selector.trim());
  if (!m) throw new Error(`unsupported selector: ${selector}`);
  const matchers = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map(([, label, op, value]) => ({
    label: label!,
    op: op!,
    value: value!,
  }));
  return samples.filter((s) => {
    if (s.name !== m[1]) return false;
    return matchers.every(({ label, op, value }) => {
      const v = s.labels[label] ?? '';
      if (op === '=') return v === value;
      if (op === '!=') return v !== value;
      const re = new RegExp(`^(?:${value})$`);
      return op === '=~' ? re.test(v) : !re.test(v);
    });
  });
}

/** Whether an alert expression is true for these series; `rates` gives `rate(name[…])` per series name. */
export function alertFires(expr: string, samples: Sample[], rates: Record<string, number> = {}): boolean {
  return expr
    .replace(/\s+/g, ' ')
    .trim()
    .split(/\s+and\s+/)
    .every((clause) => {
      const m = /^(max|sum)(?: by \([^)]*\))?\((.+)\) (>|==|<) (-?[\d.e]+)$/.exec(clause.trim());
      if (!m) throw new Error(`unsupported clause: ${clause}`);
      const [, agg, inner, op, num] = m;
      const rate = /^rate\(([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\[\w+\]\)$/.exec(inner!.trim());
      const values = rate ? (rates[rate[1]!] === undefined ? [] : [rates[rate[1]!]!]) : select(inner!, samples).map((s) => s.value);
      // An aggregation over nothing is an empty vector, and a comparison with it never holds.
      if (values.length === 0) return false;
      const v = agg === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0);
      return op === '>' ? v > Number(num) : op === '<' ? v < Number(num) : v === Number(num);
    });
}

/**
 * What an autoscaling/v2 External metric with an AverageValue target asks for, the metrics adapter
 * serving the series by its name and label selector and aggregating the replicas' copies with
 * `max` (docs/operations.md): ceil(value / target), within min and max.
 */
export function hpaDesiredReplicas(hpa: { spec?: any }, samples: Sample[]): number {
  const external = hpa.spec.metrics.find((m: any) => m.type === 'External');
  if (!external) return hpa.spec.minReplicas;
  const labels = Object.entries(external.external.metric.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const values = select(`${external.external.metric.name}{${labels}}`, samples).map((s) => s.value);
  const value = values.length ? Math.max(...values) : 0;
  const wanted = Math.ceil(value / Number(external.external.target.averageValue));
  return Math.min(hpa.spec.maxReplicas, Math.max(hpa.spec.minReplicas, wanted));
}
