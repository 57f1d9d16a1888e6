// Summarises a .cpuprofile (node --cpu-prof; `BENCH_CPU_PROF=1 npm run bench` writes the api's):
// self time by function and by package/file, and total (inclusive) time of our own functions.
//   node bench/profile-summary.mjs <file>.cpuprofile [top=25] [<results>.json <scenario name>]
// PROFILE_INCLUSIVE=<regex> adds the functions of the files it matches (e.g. 'node_modules/(router|rxjs)/')
// to the inclusive table; inclusive time by package (each package counted once per sample) is always shown.
// With a results file and a scenario (the run must have had BENCH_CPU_PROF=1), only the samples
// taken while that scenario was measured count; idle is left out.
import { readFileSync } from 'node:fs';

const [file, topArg, resultsFile, scenario] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const times = [];
profile.timeDeltas.reduce((t, d, i) => (times[i] = t + d), profile.startTime);
const windows = resultsFile
  ? JSON.parse(readFileSync(resultsFile, 'utf8')).scenarios.find((s) => s.name === scenario).profile_windows_us
  : [[-Infinity, Infinity]];
const dt = new Map();
profile.samples.forEach((id, i) => {
  if (!windows.some(([from, to]) => times[i] >= from && times[i] <= to)) return;
  if (resultsFile && byIdEarly(id) === '(idle)') return;
  dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
});
function byIdEarly(id) {
  return profile.nodes.find((n) => n.id === id).callFrame.functionName;
}
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const where = (cf) => {
  const url = cf.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  // dist/ or a copy of it (BENCH_DIST=.build/dist-before).
  const ours = /\/dist[^/]*\//.exec(url);
  if (ours) return url.slice(ours.index + ours[0].length);
  return url || `(${cf.functionName || 'native'})`;
};
const label = (cf) => `${cf.functionName || '(anonymous)'} ${where(cf)}:${cf.lineNumber + 1}`;
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const self = new Map();
const byWhere = new Map();
const inclusive = new Map();
const inclusiveByWhere = new Map();
const extra = process.env.PROFILE_INCLUSIVE ? new RegExp(process.env.PROFILE_INCLUSIVE) : null;
for (const [id, us] of dt) {
  const n = byId.get(id);
  self.set(label(n.callFrame), (self.get(label(n.callFrame)) ?? 0) + us);
  byWhere.set(where(n.callFrame), (byWhere.get(where(n.callFrame)) ?? 0) + us);
  // Inclusive time for our own code (dist/src), counted once per sample per function.
  const seen = new Set();
  const seenWhere = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const cf = byId.get(cur).callFrame;
    if (cf.url && !seenWhere.has(where(cf))) {
      seenWhere.add(where(cf));
      inclusiveByWhere.set(where(cf), (inclusiveByWhere.get(where(cf)) ?? 0) + us);
    }
    if (!/\/dist[^/]*\/src\//.test(cf.url) && !extra?.test(cf.url)) continue;
    const l = label(cf);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + us);
  }
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const print = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
};
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
print('self time by package / file', byWhere);
print('self time by function', self);
print('inclusive time by package / file (each counted once per sample)', inclusiveByWhere);
print(`inclusive time of our own functions (dist/src)${extra ? ` and of ${extra}` : ''}`, inclusive);
