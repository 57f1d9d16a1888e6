import { useState } from 'preact/hooks';
import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { download } from '../api/download.js';
import { money, when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded } from '../ui/status.js';

type Entry = components['schemas']['RevenueEntryObject'];
type Totals = components['schemas']['RevenueCurrencyTotals'];

const thisMonth = () => new Date().toISOString().slice(0, 7);

/** Finance: the revenue ledger (the treasury's input) for a month: totals per currency, its entries, and the CSV export. */
export function Revenue() {
  const connection = useConnection();
  const { operator } = connection;
  const [period, setPeriod] = useState(thisMonth());
  const summary = useResource(async () => unwrap(await operator.GET('/v1/admin/revenue/summary', { params: { query: { period } } })), [period]);
  const entries = useResource(
    async () => unwrap(await operator.GET('/v1/admin/revenue', { params: { query: { limit: 50, period } } })) as { data: Entry[]; has_more: boolean },
    [period],
  );
  const csv = useAction(() => download(connection, `/v1/admin/revenue?format=csv&period=${period}`, `leoma-revenue-${period}.csv`));
  return (
    <>
      <h1 tabIndex={-1}>Revenue</h1>
      <section class="card" aria-labelledby="revenue-month-heading">
        <h2 id="revenue-month-heading">Month</h2>
        <div class="row">
          <div>
            <label for="revenue-period">Month (UTC)</label>
            <input id="revenue-period" type="month" required value={period} onChange={(e) => e.currentTarget.value && setPeriod(e.currentTarget.value)} />
          </div>
          <div class="actions">
            <button type="button" class="secondary" disabled={csv.pending} onClick={() => void csv.run()}>
              Download CSV<span class="sr-only"> of {period}</span>
            </button>
          </div>
        </div>
        <ErrorBox error={csv.error} />
        <Loaded resource={summary}>
          {(s) =>
            s.currencies.length === 0 ? (
              <p class="empty">No revenue booked in {s.period}.</p>
            ) : (
              <div class="table-wrap">
                <table aria-label="Revenue by currency">
                  <thead>
                    <tr>
                      <th scope="col">Currency</th>
                      <th scope="col">Gross</th>
                      <th scope="col">Refunds</th>
                      <th scope="col">Disputes lost</th>
                      <th scope="col">Net</th>
                      <th scope="col">Invoices paid</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(s.currencies as Totals[]).map((c) => (
                      <tr key={c.currency} data-currency={c.currency}>
                        <td>{c.currency.toUpperCase()}</td>
                        <td>{money(c.gross_minor, c.currency)}</td>
                        <td>{money(c.refunds_minor, c.currency)}</td>
                        <td>{money(c.disputes_minor, c.currency)}</td>
                        <td data-testid={`net-${c.currency}`}>{money(c.net_minor, c.currency)}</td>
                        <td>{c.invoices_paid}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
      </section>
      <section class="card" aria-labelledby="revenue-entries-heading">
        <h2 id="revenue-entries-heading">Entries</h2>
        <Loaded resource={entries}>
          {(list) =>
            list.data.length === 0 ? (
              <p class="empty">No entries.</p>
            ) : (
              <div class="table-wrap">
                <table aria-label="Revenue entries">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Tenant</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Amount</th>
                      <th scope="col">Stripe</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.data.map((e) => (
                      <tr key={e.id}>
                        <td>{when(e.occurred_at)}</td>
                        <td>
                          <code>{e.tenant_id}</code>
                        </td>
                        <td>{e.kind.replace(/_/g, ' ')}</td>
                        <td>{money(e.amount_minor, e.currency)}</td>
                        <td>
                          <code>{e.stripe_invoice_id ?? e.stripe_object_id}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {list.has_more ? <p class="muted">Showing the latest 50; the CSV has them all.</p> : null}
              </div>
            )
          }
        </Loaded>
      </section>
    </>
  );
}
