import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { download } from '../api/download.js';
import { when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded, StatusBadge } from '../ui/status.js';

type Period = components['schemas']['TreasuryPeriodObject'];
type Burn = components['schemas']['BurnObject'];

/** RAO (1e-9) strings to TAO for display only; the figures stay strings end to end. */
function tao(rao: string): string {
  const n = BigInt(rao);
  const whole = n / 1_000_000_000n;
  const frac = (n % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''} τ`;
}

/** The month to close next: the one after the last closed, else last month (the first close may be any ended month). */
function nextToClose(closed: Period[]): string | null {
  const now = new Date();
  const latest = closed
    .map((p) => p.period)
    .sort()
    .at(-1);
  // Date.UTC months count from 0: the month after "YYYY-MM" is Date.UTC(YYYY, MM).
  const [y, m] = latest ? (latest.split('-').map(Number) as [number, number]) : [now.getUTCFullYear(), now.getUTCMonth() - 1];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
  return next < now.toISOString().slice(0, 7) ? next : null;
}

/** Finance: the treasury's summary and reconciliation, burns with verify, month close and statements. */
export function Finance() {
  const connection = useConnection();
  const { operator } = connection;
  const summary = useResource(async () => unwrap(await operator.GET('/v1/treasury/summary')), []);
  const periods = useResource(async () => unwrap(await operator.GET('/v1/treasury/periods')), []);
  const burns = useResource(async () => unwrap(await operator.GET('/v1/treasury/burns', { params: { query: { limit: 20 } } })), []);
  const close = useAction(async (period: string) => {
    unwrap(await operator.POST('/v1/treasury/periods/{period}/close', { params: { path: { period } } }));
    periods.reload();
  });
  const verify = useAction(async (id: string) => {
    unwrap(await operator.POST('/v1/treasury/burns/{id}/verify', { params: { path: { id } } }));
    burns.reload();
  });
  const statement = useAction((period: string, format: 'json' | 'csv') =>
    download(connection, `/v1/treasury/periods/${period}/statement?format=${format}`, `statement-${period}.${format}`),
  );
  const next = periods.data ? nextToClose(periods.data.data as Period[]) : null;
  return (
    <>
      <h1 tabIndex={-1}>Finance</h1>
      <section class="card" aria-labelledby="treasury-heading">
        <h2 id="treasury-heading">Treasury</h2>
        <Loaded resource={summary}>
          {(s) => (
            <div class="stats">
              <div class="stat">
                <span class="muted">Funded</span>
                <strong>{tao(s.funded_rao)}</strong>
              </div>
              <div class="stat">
                <span class="muted">Burned</span>
                <strong>{tao(s.burned_tao_rao)}</strong>
              </div>
              <div class="stat">
                <span class="muted">In flight</span>
                <strong>{tao(s.in_flight_rao)}</strong>
              </div>
              <div class="stat">
                <span class="muted">Mode</span>
                <strong>{s.dry_run ? 'dry run' : 'live'}</strong>
              </div>
            </div>
          )}
        </Loaded>
      </section>
      <section class="card" aria-labelledby="periods-heading">
        <h2 id="periods-heading">Months</h2>
        <Loaded resource={periods}>
          {(list) => (
            <div class="table-wrap">
              <table aria-label="Closed months">
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col">Closed</th>
                    <th scope="col">Statement SHA-256</th>
                    <th scope="col">Download</th>
                  </tr>
                </thead>
                <tbody>
                  {(list.data as Period[]).map((p) => (
                    <tr key={p.period} data-period={p.period}>
                      <td class="nowrap">{p.period}</td>
                      <td>{when(p.closed_at)}</td>
                      <td>
                        <code class="digest">{p.statement_sha256}</code>
                      </td>
                      <td class="row-actions">
                        <button type="button" class="secondary" onClick={() => void statement.run(p.period, 'csv')}>
                          CSV<span class="sr-only"> statement {p.period}</span>
                        </button>
                        <button type="button" class="secondary" onClick={() => void statement.run(p.period, 'json')}>
                          JSON<span class="sr-only"> statement {p.period}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Loaded>
        {next === null ? null : (
          <button
            type="button"
            disabled={close.pending}
            onClick={() => confirm(`Close ${next}? Nothing dated in it can change afterwards.`) && void close.run(next)}
          >
            Close {next}
          </button>
        )}
        <ErrorBox error={close.error ?? statement.error} />
      </section>
      <section class="card" aria-labelledby="burns-heading">
        <h2 id="burns-heading">Burns</h2>
        <Loaded resource={burns}>
          {(list) =>
            list.data.length === 0 ? (
              <p class="empty">No burns yet.</p>
            ) : (
              <ul class="plain">
                {(list.data as Burn[]).map((burn) => {
                  return (
                    <li key={burn.id}>
                      <code>{burn.id}</code> <StatusBadge status={burn.status} /> {burn.amount_rao ? tao(burn.amount_rao) : ''}{' '}
                      {burn.block_number ? `block ${burn.block_number}` : ''}{' '}
                      <button type="button" class="link" onClick={() => void verify.run(burn.id)}>
                        Verify on chain<span class="sr-only"> {burn.id}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )
          }
        </Loaded>
        <ErrorBox error={verify.error} />
      </section>
    </>
  );
}
