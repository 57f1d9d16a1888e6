import { useMemo, useState } from 'preact/hooks';
import type { components } from '../../../sdk/js/src/index.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { money, seconds } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { Chart, type ChartSeries } from '../ui/chart.js';
import { ErrorBox, Loaded } from '../ui/status.js';

type UsageObject = components['schemas']['UsageObject'];
type Group = components['schemas']['UsageGroup'];
type Alert = components['schemas']['AlertObject'];

function thisMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

/** Every UTC day of the month up to today, so a day without videos shows as zero rather than missing. */
function daysOf(period: string): string[] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = Math.min(new Date(Date.UTC(y, m, 0)).getUTCDate(), period === thisMonth() ? new Date().getUTCDate() : 31);
  return Array.from({ length: last }, (_, i) => `${period}-${String(i + 1).padStart(2, '0')}`);
}

function DailyChart({ usage }: { usage: UsageObject }) {
  const { x, series } = useMemo(() => {
    const days = daysOf(usage.period.start.slice(0, 7));
    const byDay = new Map((usage.groups ?? []).map((g) => [g.key, g]));
    let running = 0;
    const cumulative = days.map((d) => (running += byDay.get(d)?.video_seconds ?? 0));
    const series: ChartSeries[] = [
      { label: 'Video-seconds that day', values: days.map((d) => byDay.get(d)?.video_seconds ?? 0), color: '#2b59c3', bars: true },
      { label: 'Month so far', values: cumulative, color: '#b3541e' },
    ];
    // The plan's line only once the month comes near it; far below, it would flatten the bars to nothing (the meter above shows the ratio).
    if (running >= usage.video_seconds.included / 4)
      series.push({ label: 'Included in plan', values: days.map(() => usage.video_seconds.included), color: '#555555', dashed: true });
    return { x: days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), series };
  }, [usage]);
  return (
    <Chart
      title="Video-seconds by day"
      yLabel="seconds"
      summary={`${seconds(usage.video_seconds.used)} used of ${seconds(usage.video_seconds.included)} included this month`}
      x={x}
      series={series}
    />
  );
}

function GroupTable({ caption, groups, currency, keyLabel }: { caption: string; groups: Group[]; currency: string; keyLabel: string }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            <th scope="col">Videos</th>
            <th scope="col">Video-seconds</th>
            <th scope="col">Overage</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          {groups.length === 0 ? (
            <tr>
              <td colSpan={5}>Nothing this month yet.</td>
            </tr>
          ) : (
            groups.map((g) => (
              <tr key={g.key}>
                <td>
                  <code>{g.key}</code>
                </td>
                <td>{g.videos}</td>
                <td>{seconds(g.video_seconds)}</td>
                <td>{seconds(g.overage_seconds)}</td>
                <td>{money(g.amount, currency)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function Alerts() {
  const { client } = useConnection();
  const alerts = useResource(async () => unwrap(await client.api.GET('/v1/billing/alerts')), []);
  const [form, setForm] = useState({ metric: 'amount' as 'amount' | 'seconds', threshold: '', hard_cap: false });
  const create = useAction(async () => {
    const threshold = form.metric === 'amount' ? Math.round(Number(form.threshold) * 100) : Number(form.threshold);
    unwrap(await client.api.POST('/v1/billing/alerts', { body: { metric: form.metric, threshold, hard_cap: form.hard_cap } }));
    setForm((f) => ({ ...f, threshold: '' }));
    alerts.reload();
  });
  const remove = useAction(async (id: string) => {
    unwrap(await client.api.DELETE('/v1/billing/alerts/{id}', { params: { path: { id } } }));
    alerts.reload();
  });
  return (
    <section class="card" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Alerts and spend caps</h2>
      <Loaded resource={alerts}>
        {(list) => (
          <ul class="plain">
            {(list.data as Alert[]).length === 0 ? <li class="muted">No alerts or caps set.</li> : null}
            {(list.data as Alert[]).map((a) => (
              <li key={a.id}>
                {a.hard_cap ? 'Hard cap' : 'Alert'} at {a.metric === 'amount' ? money(a.threshold) : seconds(a.threshold)}
                {a.fired_at ? <span class="badge badge-failed">reached</span> : null}{' '}
                <button type="button" class="link" onClick={() => void remove.run(a.id)}>
                  Remove<span class="sr-only"> {a.id}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <div>
          <label for="alert-metric">Measure</label>
          <select id="alert-metric" value={form.metric} onChange={(e) => setForm({ ...form, metric: e.currentTarget.value as 'amount' | 'seconds' })}>
            <option value="amount">Spend (USD)</option>
            <option value="seconds">Video-seconds</option>
          </select>
        </div>
        <div>
          <label for="alert-threshold">Threshold</label>
          <input
            id="alert-threshold"
            type="number"
            min={0}
            step="any"
            required
            value={form.threshold}
            onInput={(e) => setForm({ ...form, threshold: e.currentTarget.value })}
          />
        </div>
        <div class="check">
          <input id="alert-cap" type="checkbox" checked={form.hard_cap} onChange={(e) => setForm({ ...form, hard_cap: e.currentTarget.checked })} />
          <label for="alert-cap">Hard cap (refuse new videos past it)</label>
        </div>
        <button type="submit" disabled={create.pending}>
          Add
        </button>
      </form>
      <ErrorBox error={create.error ?? remove.error} />
    </section>
  );
}

export function Usage() {
  const { client } = useConnection();
  const [period, setPeriod] = useState(thisMonth());
  const get = async (group_by: 'day' | 'api_key' | 'resolution') =>
    unwrap(await client.api.GET('/v1/usage', { params: { query: { period, group_by } } })) as UsageObject;
  const usage = useResource(async () => Promise.all([get('day'), get('api_key'), get('resolution')]), [period]);
  return (
    <>
      <h1 tabIndex={-1}>Usage and spend</h1>
      <div class="filters">
        <div>
          <label for="period">Month</label>
          <input id="period" type="month" value={period} onChange={(e) => e.currentTarget.value && setPeriod(e.currentTarget.value)} />
        </div>
      </div>
      <Loaded resource={usage}>
        {([byDay, byKey, byResolution]) => (
          <>
            <div class="stats">
              <div class="stat">
                <span class="muted">Used</span>
                <strong data-testid="used-seconds">{seconds(byDay.video_seconds.used)}</strong>
              </div>
              <div class="stat">
                <span class="muted">Included</span>
                <strong>{seconds(byDay.video_seconds.included)}</strong>
              </div>
              <div class="stat">
                <span class="muted">Spend</span>
                <strong>{money(byDay.cost.amount, byDay.cost.currency)}</strong>
              </div>
              <div class="stat">
                <span class="muted">Videos</span>
                <strong>{byDay.cost.videos}</strong>
              </div>
            </div>
            <label for="included-meter">Included seconds used</label>
            <meter id="included-meter" min={0} max={Math.max(1, byDay.video_seconds.included)} value={byDay.video_seconds.used} />
            <DailyChart usage={byDay} />
            <GroupTable caption="By API key" keyLabel="Key" groups={byKey.groups ?? []} currency={byKey.cost.currency} />
            <GroupTable caption="By resolution" keyLabel="Resolution" groups={byResolution.groups ?? []} currency={byResolution.cost.currency} />
          </>
        )}
      </Loaded>
      <Alerts />
    </>
  );
}
