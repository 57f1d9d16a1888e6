// Batch ingest for bench/run.mjs: POST /v1/batches with a JSONL file of `items` items (each an
// uploaded `file_` image), timed from the request to the 202 (every row validated, the quota checked,
// the items written and the batch schedulable). The api's RSS is sampled every 20 ms meanwhile, so
// the peak is this ingest's own, not the earlier scenarios'. Each batch is canceled afterwards so
// the next run is not refused for its seconds.
const RUNS = Number(process.env.BENCH_BATCH_RUNS ?? 2);

export async function batchIngest({ base, key, items, imageId, rss }) {
  const jsonl = Array.from({ length: items }, (_, i) =>
    JSON.stringify({
      custom_id: `sku-${i}`,
      image: imageId,
      prompt: `Product ${i} turning slowly on a white table, soft light`,
      duration_seconds: 1,
      resolution: '480p',
      aspect_ratio: i % 2 ? '9:16' : '16:9',
      seed: i,
    }),
  ).join('\n');
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const body = new FormData();
    body.set('file', new Blob([jsonl], { type: 'application/jsonl' }), 'catalogue.jsonl');
    const before = rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rss());
    }, 20);
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/batches`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
    const text = await res.text();
    const ms = performance.now() - t0;
    clearInterval(sampler);
    if (res.status !== 202) throw new Error(`batch ingest: POST /v1/batches → ${res.status}: ${text.slice(0, 500)}`);
    const batch = JSON.parse(text);
    if (batch.request_counts?.total !== items) throw new Error(`batch ingest: ${batch.request_counts?.total} items accepted of ${items}`);
    runs.push({ ms: Math.round(ms), items_per_s: Math.round((items / ms) * 1000), rss_before_mb: before, peak_rss_mb: Math.max(peak, rss()) });
    const cancel = await fetch(`${base}/v1/batches/${batch.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    await cancel.text();
    if (!cancel.ok) throw new Error(`batch ingest: cancel → ${cancel.status}`);
  }
  return {
    items,
    megabytes: +(jsonl.length / 1e6).toFixed(1),
    runs,
    items_per_s: Math.max(...runs.map((r) => r.items_per_s)),
    peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb)),
  };
}
