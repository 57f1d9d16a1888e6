import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectProcessMetrics, metricsRegistry } from '../../src/platform/metrics/registry.js';
import { fires, labelNames, metricNames, type Series } from '../support/promql-eval.js';

/**
 * The chart's Grafana dashboard and alert rules against the metrics the code exports: every query
 * parses as PromQL (Prometheus' own grammar) and names only series and labels that exist, and
 * every alert fires on synthetic series made for it while none fires on a healthy system.
 */
const CHART = 'helm/leoma';
/** Labels Prometheus adds to every scraped series (the ServiceMonitor's target labels). */
const TARGET_LABELS = ['pod', 'instance', 'job', 'namespace', 'service', 'container'];

/** Every series name the code exports, with its labels: every file declaring a `leoma_` metric is imported, so none is left out. */
const exported = new Map<string, Set<string>>();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

beforeAll(async () => {
  for (const file of sources('src').filter((f) => /name: 'leoma_[a-z_]+'/.test(readFileSync(f, 'utf8')))) await import(`../../${file}`);
  collectProcessMetrics();
  for (const m of await metricsRegistry.getMetricsAsJSON()) {
    const labels = new Set<string>();
    for (const v of m.values) for (const l of Object.keys(v.labels)) labels.add(l);
    const declared = (metricsRegistry.getSingleMetric(m.name) as unknown as { labelNames?: string[] }).labelNames ?? [];
    for (const l of declared) labels.add(l);
    const type = String(m.type);
    const names =
      type === 'histogram'
        ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`]
        : type === 'summary'
          ? [m.name, `${m.name}_sum`, `${m.name}_count`]
          : [m.name];
    for (const n of names) exported.set(n, n.endsWith('_bucket') ? new Set([...labels, 'le']) : labels);
  }
}, 120_000);

function checkNames(expr: string, where: string): void {
  const names = metricNames(expr);
  expect(names.length, `${where} selects no series`).toBeGreaterThan(0);
  for (const n of names) expect(exported.has(n), `${where} names ${n}, which nothing exports`).toBe(true);
  const { matchers, grouping } = labelNames(expr);
  const known = new Set([...names.flatMap((n) => [...exported.get(n)!]), ...TARGET_LABELS]);
  for (const m of matchers) expect([...exported.get(m.metric)!, ...TARGET_LABELS], `${where}: ${m.metric} has no label ${m.label}`).toContain(m.label);
  for (const l of grouping) expect(known.has(l), `${where} groups by ${l}, which none of its series has`).toBe(true);
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(`${CHART}/files/grafana-dashboard.json`, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };

  it('queries, in every panel, only series and labels the code exports', () => {
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const p of dashboard.panels) {
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) checkNames(t.expr, `panel "${p.title}"`);
    }
  });

  it('shows queue wait, end-to-end time, Stripe and chain errors', () => {
    const all = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr)));
    for (const n of [
      'leoma_video_queue_wait_seconds_bucket',
      'leoma_video_end_to_end_seconds_bucket',
      'leoma_stripe_request_duration_seconds_count',
      'leoma_stripe_requests_total',
      'leoma_chain_rpc_duration_seconds_count',
    ])
      expect(all).toContain(n);
  });

  it('catches a panel naming a series nobody exports (the check can fail)', () => {
    expect(() => checkNames('sum(rate(leoma_video_queue_wait_seconds_bucket_typo[5m]))', 'probe')).toThrow(/nothing exports/);
    expect(() => checkNames('sum by (tenant) (rate(leoma_videos_total[5m]))', 'probe')).toThrow(/groups by tenant/);
  });
});

/** A histogram's series: `count` observations, all of `seconds`, over a 30-minute window (before: none). */
function histogram(name: string, labels: Record<string, string>, seconds: number, count: number, buckets: number[]): Series[] {
  return [
    ...[...buckets, Number.POSITIVE_INFINITY].map((le) => ({
      name: `${name}_bucket`,
      labels: { ...labels, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) },
      before: 0,
      now: seconds <= le ? count : 0,
    })),
    { name: `${name}_count`, labels, before: 0, now: count },
    { name: `${name}_sum`, labels, before: 0, now: seconds * count },
  ];
}

const VIDEO_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1_200, 1_800, 3_600, 7_200, 14_400];
const HTTP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

/** A system doing well: traffic, every call answered, nothing waiting long. */
const healthy: Series[] = [
  ...histogram('leoma_http_request_duration_seconds', { route: '/v1/videos', status: '202' }, 0.1, 6000, HTTP_BUCKETS),
  ...histogram('leoma_video_queue_wait_seconds', { batch: 'false', resolution: '480p', plan_tier: '10' }, 5, 600, VIDEO_BUCKETS),
  ...histogram('leoma_video_end_to_end_seconds', { batch: 'false', outcome: 'succeeded', resolution: '480p', plan_tier: '10' }, 60, 600, VIDEO_BUCKETS),
  ...histogram('leoma_stripe_request_duration_seconds', { outcome: 'ok', status: '200' }, 0.2, 600, HTTP_BUCKETS),
  ...histogram('leoma_chain_rpc_duration_seconds', { outcome: 'ok', method: 'chain_getHeader' }, 0.05, 600, HTTP_BUCKETS),
  ...histogram('leoma_backend_call_duration_seconds', { backend: 'gpu-a', outcome: 'ok' }, 30, 600, VIDEO_BUCKETS),
  { name: 'leoma_stripe_requests_total', before: 0, now: 600 },
  { name: 'leoma_queue_jobs', labels: { queue: 'videos', state: 'prioritized' }, now: 3 },
  { name: 'leoma_queue_jobs', labels: { queue: 'videos', state: 'active' }, now: 8 },
  { name: 'leoma_queue_jobs', labels: { queue: 'videos', state: 'failed' }, before: 2, now: 3 },
  { name: 'leoma_queue_backlog', labels: { queue: 'videos' }, now: 3 },
  { name: 'leoma_backend_slots_in_use', labels: { backend: 'gpu-a' }, now: 8 },
  { name: 'leoma_backend_circuit_state', labels: { backend: 'gpu-a' }, now: 0 },
  { name: 'leoma_videos_total', labels: { outcome: 'succeeded' }, before: 0, now: 600 },
  { name: 'leoma_videos_total', labels: { outcome: 'failed', error_code: 'input_invalid' }, before: 0, now: 6 },
  { name: 'leoma_webhook_deliveries_total', labels: { outcome: 'delivered' }, before: 0, now: 600 },
  { name: 'leoma_stripe_meter_relay_lag_seconds', now: 30 },
  { name: 'leoma_webhook_delivery_lag_seconds', now: 2 },
  { name: 'leoma_stripe_meter_relay_stuck_rows', now: 0 },
  { name: 'leoma_stripe_duplicate_subscriptions_total', before: 1, now: 1 },
  { name: 'leoma_treasury_burns', labels: { state: 'finalized' }, now: 12 },
  { name: 'leoma_treasury_burns', labels: { state: 'failed' }, before: 1, now: 1 },
];

/** Per alert, series that should make it fire (replacing the healthy series of the same name and labels). */
const firing: Record<string, Series[]> = {
  LeomaApiErrorRate: histogram('leoma_http_request_duration_seconds', { route: '/v1/videos', status: '503' }, 0.1, 1000, HTTP_BUCKETS),
  LeomaApiLatency: histogram('leoma_http_request_duration_seconds', { route: '/v1/videos', status: '202' }, 8, 6000, HTTP_BUCKETS),
  LeomaVideoBacklog: [
    { name: 'leoma_queue_jobs', labels: { queue: 'videos', state: 'prioritized' }, now: 51 },
    { name: 'leoma_queue_backlog', labels: { queue: 'videos' }, now: 51 },
  ],
  LeomaWorkersNotConsuming: [{ name: 'leoma_queue_jobs', labels: { queue: 'videos', state: 'active' }, now: 0 }],
  LeomaVideoFailureRate: [{ name: 'leoma_videos_total', labels: { outcome: 'failed', error_code: 'no_backend_available' }, before: 0, now: 200 }],
  LeomaFailedJobsGrowing: [{ name: 'leoma_queue_jobs', labels: { queue: 'videos', state: 'failed' }, before: 2, now: 40 }],
  LeomaBackendCircuitOpen: [{ name: 'leoma_backend_circuit_state', labels: { backend: 'gpu-a' }, now: 2 }],
  LeomaBackendsSaturated: [
    ...histogram('leoma_backend_call_duration_seconds', { backend: 'gpu-a', outcome: 'ok' }, 30, 0, VIDEO_BUCKETS),
    { name: 'leoma_queue_backlog', labels: { queue: 'videos' }, now: 40 },
  ],
  LeomaWebhookDeliveryFailures: [{ name: 'leoma_webhook_deliveries_total', labels: { outcome: 'failed' }, before: 0, now: 900 }],
  LeomaWebhookDeliveryLag: [{ name: 'leoma_webhook_delivery_lag_seconds', now: 900 }],
  LeomaStripeMeterLag: [{ name: 'leoma_stripe_meter_relay_lag_seconds', now: 7200 }],
  LeomaStripeMeterStuck: [{ name: 'leoma_stripe_meter_relay_stuck_rows', now: 2 }],
  LeomaStripeDuplicateSubscription: [{ name: 'leoma_stripe_duplicate_subscriptions_total', before: 1, now: 2 }],
  LeomaTreasuryBurnUnresolved: [{ name: 'leoma_treasury_burns', labels: { state: 'submitted' }, now: 1 }],
  LeomaTreasuryBurnFailed: [{ name: 'leoma_treasury_burns', labels: { state: 'failed' }, before: 1, now: 2 }],
  LeomaVideoQueueWaitHigh: histogram('leoma_video_queue_wait_seconds', { batch: 'false', resolution: '480p', plan_tier: '10' }, 900, 600, VIDEO_BUCKETS),
  LeomaVideoEndToEndSlow: histogram(
    'leoma_video_end_to_end_seconds',
    { batch: 'false', outcome: 'succeeded', resolution: '480p', plan_tier: '10' },
    3000,
    600,
    VIDEO_BUCKETS,
  ),
  LeomaStripeErrors: histogram('leoma_stripe_request_duration_seconds', { outcome: 'server_error', status: '500' }, 0.2, 100, HTTP_BUCKETS),
  LeomaStripeUnanswered: [{ name: 'leoma_stripe_requests_total', before: 0, now: 1200 }],
  LeomaChainRpcErrors: histogram('leoma_chain_rpc_duration_seconds', { outcome: 'transport_error', method: 'chain_getHeader' }, 10, 600, HTTP_BUCKETS),
};

const seriesKey = (s: Series) => `${s.name}${JSON.stringify(Object.entries(s.labels ?? {}).sort())}`;
const withSeries = (base: Series[], over: Series[]) => {
  const replaced = new Set(over.map(seriesKey));
  return [...base.filter((s) => !replaced.has(seriesKey(s))), ...over];
};

describe('the alert rules', () => {
  const rules = (
    load(readFileSync(`${CHART}/files/prometheus-rules.yaml`, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }
  ).groups.flatMap((g) => g.rules);

  it('name only series and labels the code exports', () => {
    for (const r of rules) checkNames(r.expr, `alert ${r.alert}`);
  });

  it('stay quiet on a healthy system', () => {
    expect(rules.filter((r) => fires(r.expr, healthy)).map((r) => r.alert)).toEqual([]);
  });

  it('each fire on the series made for them', () => {
    expect(Object.keys(firing).sort()).toEqual(rules.map((r) => r.alert).sort());
    for (const r of rules) expect(fires(r.expr, withSeries(healthy, firing[r.alert]!)), r.alert).toBe(true);
  });
});
