import { useEffect, useState } from 'preact/hooks';
import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { download } from '../api/download.js';
import { money, when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded, StatusBadge } from '../ui/status.js';
import { RecordFunding } from './record-funding.js';

type Period = components['schemas']['TreasuryPeriodObject'];
type Burn = components['schemas']['BurnObject'];
type BurnRun = components['schemas']['BurnRunObject'];
type Funding = components['schemas']['FundingObject'];
type Anchor = components['schemas']['PeriodAnchorObject'];
/** A burn still on its way to the chain: the page follows it until it settles. */
const IN_FLIGHT = new Set(['planned', 'signed', 'submitted', 'in_block']);
const RUN_RESULTS: Record<BurnRun['result'], string> = {
  planned: 'A burn was planned.',
  nothing_to_burn: 'Nothing to burn: no funded TAO is waiting for a burn.',
  waiting_for_unresolved: 'An earlier burn has to settle first.',
  queued: 'Queued: a worker plans it when one is free.',
};

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
  const fundings = useResource(async () => unwrap(await operator.GET('/v1/treasury/fundings', { params: { query: { limit: 20 } } })), []);
  const close = useAction(async (period: string) => {
    unwrap(await operator.POST('/v1/treasury/periods/{period}/close', { params: { path: { period } } }));
    periods.reload();
  });
  const verify = useAction(async (id: string) => {
    unwrap(await operator.POST('/v1/treasury/burns/{id}/verify', { params: { path: { id } } }));
    burns.reload();
  });
  const [ran, setRan] = useState<BurnRun | null>(null);
  const burnNow = useAction(async () => {
    setRan(unwrap(await operator.POST('/v1/treasury/burns')) as BurnRun);
    burns.reload();
    periods.reload();
    summary.reload();
    fundings.reload();
  });
  const inFlight = (burns.data?.data as Burn[] | undefined)?.some((b) => IN_FLIGHT.has(b.status)) ?? false;
  // A burn in flight moves on in the worker: read it (and the months it anchors) again until it settles.
  useEffect(() => {
    if (!inFlight) return;
    const timer = setTimeout(() => {
      burns.reload();
      periods.reload();
      summary.reload();
    }, 1000);
    return () => clearTimeout(timer);
  }, [inFlight, burns.data]);
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
                    <th scope="col">Allocations' Merkle root</th>
                    <th scope="col">Anchored on chain</th>
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
                      <td data-testid="merkle-root">
                        <code class="digest">{p.merkle_root}</code>
                        <div class="muted">
                          {p.allocation_count} allocation{p.allocation_count === 1 ? '' : 's'}
                        </div>
                      </td>
                      <td data-testid="period-anchor">
                        <PeriodAnchor anchor={p.anchored_by} />
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
      <section class="card" aria-labelledby="fundings-heading">
        <h2 id="fundings-heading">Fundings</h2>
        <p class="muted">
          TAO bought for the burns, each a transfer into the treasury's coldkey, recorded with its rate: the API reads the amount from the chain and takes only
          a finalized transfer into the coldkey.
        </p>
        <Loaded resource={fundings}>
          {(list) =>
            list.data.length === 0 ? (
              <p class="empty">No fundings yet.</p>
            ) : (
              <div class="table-wrap">
                <table aria-label="Fundings">
                  <thead>
                    <tr>
                      <th scope="col">Received</th>
                      <th scope="col">TAO</th>
                      <th scope="col">Paid</th>
                      <th scope="col">Rate</th>
                      <th scope="col">Transfer</th>
                      <th scope="col">Reference</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(list.data as Funding[]).map((f) => (
                      <tr key={f.id} data-funding-id={f.id}>
                        <td>{when(f.received_at)}</td>
                        <td>{tao(f.amount_rao)}</td>
                        <td>{money(f.fiat_minor, f.currency)}</td>
                        <td>
                          {f.rate} {f.currency.toUpperCase()}/τ <span class="muted">({f.rate_source})</span>
                        </td>
                        <td>{f.transfer ? `block ${f.transfer.block_number}, extrinsic ${f.transfer.extrinsic_index}` : '—'}</td>
                        <td>{f.external_reference}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
        <RecordFunding
          onRecorded={() => {
            fundings.reload();
            summary.reload();
          }}
        />
      </section>
      <section class="card" aria-labelledby="burns-heading">
        <h2 id="burns-heading">Burns</h2>
        <Loaded resource={burns}>
          {(list) =>
            list.data.length === 0 ? (
              <p class="empty">No burns yet.</p>
            ) : (
              <ul class="plain">
                {(list.data as Burn[]).map((burn) => (
                  <li key={burn.id} data-burn-id={burn.id}>
                    <code>{burn.id}</code> <StatusBadge status={burn.status} /> {burn.amount_rao ? tao(burn.amount_rao) : ''}{' '}
                    {burn.block_number !== null ? `block ${burn.block_number}, extrinsic ${burn.extrinsic_index}` : ''}{' '}
                    {burn.block_number !== null ? (
                      <button type="button" class="link" disabled={verify.pending} onClick={() => void verify.run(burn.id)}>
                        Verify on chain<span class="sr-only"> {burn.id}</span>
                      </button>
                    ) : null}
                    <Verification burn={burn} />
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <div class="actions">
          <button type="button" class="secondary" disabled={burnNow.pending} onClick={() => void burnNow.run()}>
            {burnNow.pending ? 'Planning…' : 'Burn now'}
          </button>
          {ran ? (
            <span role="status" data-testid="burn-run">
              {RUN_RESULTS[ran.result]}
              {ran.dry_run ? ' (dry run: recorded, never sent)' : ''}
            </span>
          ) : null}
        </div>
        <ErrorBox error={verify.error ?? burnNow.error} />
      </section>
    </>
  );
}

/** The burn whose memo carries a closed month's statement hash and Merkle root, and where the chain has it. */
function PeriodAnchor({ anchor }: { anchor: Anchor | null }) {
  if (!anchor) return <span class="muted">the next burn carries it</span>;
  return (
    <>
      <code>{anchor.burn_id}</code> <StatusBadge status={anchor.status} />
      {anchor.block_number !== null ? (
        <div>
          block {anchor.block_number}, extrinsic {anchor.extrinsic_index}
        </div>
      ) : null}
    </>
  );
}

/** What the last "Verify on chain" found: the recorded burn against the block's extrinsic and events. */
function Verification({ burn }: { burn: Burn }) {
  const v = burn.verification;
  if (!v) return null;
  return (
    <div data-testid="verification" data-ok={String(v.ok)}>
      {v.ok ? (
        <strong>Valid</strong>
      ) : (
        <strong class="error-inline">
          Not valid: {v.mismatches.map((m) => `${m.field} recorded ${m.recorded ?? '—'}, on chain ${m.on_chain ?? '—'}`).join('; ')}
        </strong>
      )}{' '}
      <span class="muted">
        checked against block {burn.block_number} {when(v.checked_at)}
      </span>
    </div>
  );
}
