import { useState } from 'preact/hooks';
import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { money, when } from '../api/format.js';
import { useResource } from '../api/use-resource.js';
import { Loaded, StatusBadge } from '../ui/status.js';

type Check = components['schemas']['ReconciliationCheck'];

/** GET /v1/admin/billing/reconcile and /reconcile/money have no response schema in the spec; these are their shapes (src/billing). */
interface UsageReconciliation {
  period: string;
  succeeded_live_videos: number;
  live_usage_rows: number;
  meter_events_sent: number;
  gaps: { kind: string; tenant_id: string | null; video_id?: string; event_id?: string; detail: string }[];
}
interface MoneyReconciliation {
  period: string;
  invoices: { tenant_id: string; invoice: string; currency: string; stripe: { total: number }; ours: { total: number } }[];
  differences: { tenant_id: string; invoice: string; line: string; stripe: number; ours: number; detail: string }[];
}

const lastMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 1).toISOString().slice(0, 7);
};

/**
 * Finance: do the books agree? The treasury's identities (funded = burned + in flight + pending…),
 * usage against what went to Stripe's meter for a month, and each finalised Stripe invoice against
 * our own ledger to the cent.
 */
export function Reconciliation() {
  const { operator } = useConnection();
  const [period, setPeriod] = useState(lastMonth());
  const treasury = useResource(async () => unwrap(await operator.GET('/v1/treasury/reconciliation')), []);
  const usage = useResource(
    async () => unwrap(await operator.GET('/v1/admin/billing/reconcile', { params: { query: { period } } })) as unknown as UsageReconciliation,
    [period],
  );
  const moneyCheck = useResource(
    async () => unwrap(await operator.GET('/v1/admin/billing/reconcile/money', { params: { query: { period } } })) as unknown as MoneyReconciliation,
    [period],
  );
  return (
    <>
      <h1 tabIndex={-1}>Reconciliation</h1>
      <section class="card" aria-labelledby="treasury-recon-heading">
        <h2 id="treasury-recon-heading">Treasury</h2>
        <Loaded resource={treasury}>
          {(r) => (
            <>
              <p data-testid="treasury-balanced">
                <StatusBadge status={r.balanced ? 'balanced' : 'unbalanced'} /> as of {when(r.generated_at)}
              </p>
              <ul class="plain" aria-label="Treasury checks">
                {(r.checks as Check[]).map((c) => (
                  <li key={`${c.name}-${c.currency ?? ''}`}>
                    <StatusBadge status={c.ok ? 'ok' : 'failed'} /> <strong>{c.name.replace(/_/g, ' ')}</strong>
                    {c.currency ? ` (${c.currency.toUpperCase()})` : ''}: {c.detail}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Loaded>
      </section>
      <section class="card" aria-labelledby="billing-recon-heading">
        <h2 id="billing-recon-heading">Usage and Stripe</h2>
        <div>
          <label for="recon-period">Month (UTC)</label>
          <input id="recon-period" type="month" required value={period} onChange={(e) => e.currentTarget.value && setPeriod(e.currentTarget.value)} />
        </div>
        <h3>Usage against the meter</h3>
        <Loaded resource={usage}>
          {(u) => (
            <>
              <p data-testid="usage-recon">
                {u.succeeded_live_videos} succeeded live videos · {u.live_usage_rows} live usage rows · {u.meter_events_sent} sent to the meter
              </p>
              {u.gaps.length === 0 ? (
                <p class="empty">No gaps: every succeeded live video is metered and billed.</p>
              ) : (
                <ul class="plain" aria-label="Usage gaps">
                  {u.gaps.map((g) => (
                    <li key={`${g.kind}-${g.video_id ?? g.event_id ?? g.tenant_id}`}>
                      <StatusBadge status={g.kind} /> {g.tenant_id ? <code>{g.tenant_id}</code> : null} {g.detail}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </Loaded>
        <h3>Invoices against the ledger</h3>
        <Loaded resource={moneyCheck}>
          {(m) => (
            <>
              <p data-testid="money-recon">
                {m.invoices.length} finalised invoice{m.invoices.length === 1 ? '' : 's'} checked · {m.differences.length} difference
                {m.differences.length === 1 ? '' : 's'}
              </p>
              {m.differences.length === 0 ? null : (
                <div class="table-wrap">
                  <table aria-label="Invoice differences">
                    <thead>
                      <tr>
                        <th scope="col">Invoice</th>
                        <th scope="col">Line</th>
                        <th scope="col">Stripe</th>
                        <th scope="col">Ours</th>
                        <th scope="col">Why</th>
                      </tr>
                    </thead>
                    <tbody>
                      {m.differences.map((d) => {
                        const currency = m.invoices.find((i) => i.invoice === d.invoice)?.currency ?? 'usd';
                        return (
                          <tr key={`${d.invoice}-${d.line}`}>
                            <td>
                              <code>{d.invoice}</code>
                              <div class="muted">
                                <code>{d.tenant_id}</code>
                              </div>
                            </td>
                            <td>{d.line}</td>
                            <td>{money(d.stripe, currency)}</td>
                            <td>{money(d.ours, currency)}</td>
                            <td>{d.detail}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </Loaded>
      </section>
    </>
  );
}
