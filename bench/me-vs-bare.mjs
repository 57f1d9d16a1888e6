// Throughput of an authenticated GET /v1/me against the unauthenticated GET /health/live on the
// same running API, in one run: the ratio is what key verification (cached hash lookup, rate
// limit in Redis, last_used_at buffering) costs per request.
//   LEOMA_API_URL=http://127.0.0.1:3000 LEOMA_API_KEY=<operator key> node bench/me-vs-bare.mjs
import autocannon from 'autocannon';

const url = process.env.LEOMA_API_URL ?? 'http://127.0.0.1:3000';
const operatorKey = process.env.LEOMA_API_KEY;
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
if (!operatorKey) throw new Error('set LEOMA_API_KEY to an operator key (sales or admin)');

async function post(path, key, body) {
  const res = await fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

// A rate far above what one machine can send, so the benchmark measures the checks, not 429s.
const tenant = await post('/v1/admin/tenants', operatorKey, { name: 'bench', plan: 'enterprise', limit_overrides: { requests_per_minute: 1_000_000 } });
const { secret } = await post(`/v1/admin/tenants/${tenant.id}/api-keys`, operatorKey, { name: 'bench', mode: 'test' });

const run = (path, headers = {}) => autocannon({ url: url + path, connections, duration, headers });
// Warm both paths (JIT, connection pools, the key cache) before measuring.
await autocannon({ url: `${url}/health/live`, connections, duration: 2 });
await autocannon({ url: `${url}/v1/me`, connections, duration: 2, headers: { authorization: `Bearer ${secret}` } });

const bare = await run('/health/live');
const me = await run('/v1/me', { authorization: `Bearer ${secret}` });
const row = (name, r) => `| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} |`;
console.log(`${connections} connections, ${duration} s each\n`);
console.log('| endpoint | req/s (mean) | p50 ms | p99 ms | non-2xx |\n| --- | --- | --- | --- | --- |');
console.log(row('GET /health/live (no auth)', bare));
console.log(row('GET /v1/me (Bearer key)', me));
console.log(`\nauthenticated / bare = ${((100 * me.requests.average) / bare.requests.average).toFixed(1)} %`);
