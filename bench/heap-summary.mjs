// Compares two V8 heap snapshots (BENCH_HEAP_SNAPSHOTS=1 npm run bench writes the api's at idle and
// after the load): retained self size by constructor, the largest growth first.
//   node bench/heap-summary.mjs <before>.heapsnapshot <after>.heapsnapshot [top=25]
import { readFileSync } from 'node:fs';

function bySize(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((n) => f.indexOf(n));
  const totals = new Map();
  let all = 0;
  for (let i = 0; i < snap.nodes.length; i += f.length) {
    const type = types[snap.nodes[i + iType]];
    const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + iName]] : `(${type})`;
    const size = snap.nodes[i + iSize];
    all += size;
    const t = totals.get(name) ?? { size: 0, count: 0 };
    t.size += size;
    t.count++;
    totals.set(name, t);
  }
  return { totals, all };
}

const [a, b, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const before = bySize(a);
const after = bySize(b);
const mb = (n) => (n / 1e6).toFixed(1);
console.log(`heap: ${mb(before.all)} MB → ${mb(after.all)} MB`);
const rows = [...new Set([...before.totals.keys(), ...after.totals.keys()])].map((name) => {
  const x = before.totals.get(name) ?? { size: 0, count: 0 };
  const y = after.totals.get(name) ?? { size: 0, count: 0 };
  return { name, before: x.size, after: y.size, grew: y.size - x.size, count: y.count - x.count };
});
console.log('\nlargest growth (self size, MB; count change)');
for (const r of rows.sort((p, q) => q.grew - p.grew).slice(0, top))
  console.log(`${mb(r.grew).padStart(7)}  ${mb(r.before).padStart(6)} → ${mb(r.after).padStart(6)}  ${String(r.count).padStart(8)}  ${r.name.slice(0, 80)}`);
console.log('\nlargest after');
for (const r of rows.sort((p, q) => q.after - p.after).slice(0, top)) console.log(`${mb(r.after).padStart(7)}  ${r.name.slice(0, 80)}`);
