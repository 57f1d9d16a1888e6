import { useState } from 'preact/hooks';
import type { components } from '../../../sdk/js/src/index.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { money, seconds, when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded, StatusBadge } from '../ui/status.js';
import { BurnProof } from './burn-proof.js';

/** GET /v1/billing and /v1/billing/invoices have no response schema in the spec yet; these are their shapes (src/billing). */
interface Overview {
  plan: string;
  billing_mode: string;
  standing: string;
  subscription: { id: string; status: string } | null;
  current_period: { start: string; end: string };
  usage: { video_seconds: number; included_video_seconds: number; overage_video_seconds: number };
  amount_due_so_far: { currency: string; base: number; overage: number; credits_applied: number; total: number } | null;
}
interface Invoice {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  amount_due: number;
  amount_paid: number;
  hosted_invoice_url: string | null;
  created: string | null;
}
type Plan = components['schemas']['PlanPriceObject'];

export function Billing() {
  const { client } = useConnection();
  const overview = useResource(async () => unwrap(await client.api.GET('/v1/billing')) as unknown as Overview, []);
  const pricing = useResource(async () => unwrap(await client.api.GET('/v1/pricing')), []);
  const invoices = useResource(async () => unwrap(await client.api.GET('/v1/billing/invoices')) as unknown as { data: Invoice[] }, []);
  const credits = useResource(async () => unwrap(await client.api.GET('/v1/billing/credits')), []);
  // Stripe hosts checkout and the portal: the console only sends the browser there.
  const checkout = useAction(async (plan: string) => {
    const s = unwrap(await client.api.POST('/v1/billing/checkout', { body: { plan } })) as unknown as { url: string };
    location.assign(s.url);
  });
  const [creditUsd, setCreditUsd] = useState('20');
  // Credit is bought through Stripe Checkout too (payment mode); it is granted once Stripe reports the session paid.
  const buyCredit = useAction(async () => {
    const s = unwrap(await client.api.POST('/v1/billing/credits/checkout', { body: { amount: Math.round(Number(creditUsd) * 100) } })) as unknown as {
      url: string;
    };
    location.assign(s.url);
  });
  const portal = useAction(async () => {
    const s = unwrap(await client.api.POST('/v1/billing/portal')) as unknown as { url: string };
    location.assign(s.url);
  });
  return (
    <>
      <h1 tabIndex={-1}>Billing</h1>
      <section class="card" aria-labelledby="plan-heading">
        <h2 id="plan-heading">Your plan</h2>
        <Loaded resource={overview}>
          {(o) => (
            <dl class="facts">
              <dt>Plan</dt>
              <dd data-testid="plan">{o.plan}</dd>
              <dt>Billing</dt>
              <dd>
                {o.billing_mode} · standing <StatusBadge status={o.standing} />
                {o.subscription ? ` · subscription ${o.subscription.status}` : ''}
              </dd>
              <dt>Period</dt>
              <dd>
                {when(o.current_period.start)} – {when(o.current_period.end)}
              </dd>
              <dt>Used</dt>
              <dd>
                {seconds(o.usage.video_seconds)} of {seconds(o.usage.included_video_seconds)} included ({seconds(o.usage.overage_video_seconds)} overage)
              </dd>
              <dt>Due so far</dt>
              <dd>{o.amount_due_so_far ? money(o.amount_due_so_far.total, o.amount_due_so_far.currency) : '—'}</dd>
            </dl>
          )}
        </Loaded>
        <button type="button" class="secondary" disabled={portal.pending} onClick={() => void portal.run()}>
          Manage payment methods and invoices (Stripe)
        </button>
        <ErrorBox error={portal.error} />
      </section>
      <section class="card" aria-labelledby="plans-heading">
        <h2 id="plans-heading">Plans</h2>
        <Loaded resource={pricing}>
          {(p) => (
            <ul class="plans">
              {(p.plans as Plan[]).map((priced) => {
                return (
                  <li key={priced.code} class="card">
                    <h3>{priced.name ?? priced.code}</h3>
                    {priced.base_amount !== undefined ? <p>{money(priced.base_amount, p.currency)} a month</p> : null}
                    {priced.included_video_seconds !== undefined ? <p>{seconds(priced.included_video_seconds)} included</p> : null}
                    {overview.data?.plan === priced.code ? (
                      <p>
                        <strong>Your plan</strong>
                      </p>
                    ) : (
                      <button type="button" disabled={checkout.pending} onClick={() => void checkout.run(priced.code)}>
                        Choose {priced.name ?? priced.code}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </Loaded>
        <ErrorBox error={checkout.error} />
      </section>
      <section class="card" aria-labelledby="credits-heading">
        <h2 id="credits-heading">Credits</h2>
        <Loaded resource={credits}>
          {(c) => (
            <>
              <p>
                <strong data-testid="credits-available">{money(c.available, c.currency)}</strong> available
                {c.expired > 0 ? <span class="muted"> ({money(c.expired, c.currency)} expired unused)</span> : null}. Credit is drawn before overage is billed.
              </p>
              {c.grants.length > 0 ? (
                <ul class="plain" aria-label="Credit grants">
                  {c.grants.map((g) => (
                    <li key={g.id}>
                      {money(g.amount, g.currency)} {g.source === 'purchase' ? 'bought' : `granted${g.note ? ` (${g.note})` : ''}`} {when(g.created_at)} —{' '}
                      {money(g.remaining, g.currency)} left{g.expired ? ', expired' : g.expires_at ? `, expires ${when(g.expires_at)}` : ''}
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </Loaded>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void buyCredit.run();
          }}
        >
          <div>
            <label for="credit-amount">Credit to buy (USD)</label>
            <input
              id="credit-amount"
              type="number"
              min={5}
              max={10000}
              step="0.01"
              required
              value={creditUsd}
              onInput={(e) => setCreditUsd(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="secondary" disabled={buyCredit.pending}>
            Buy credit
          </button>
        </form>
        <ErrorBox error={buyCredit.error} />
      </section>
      <section class="card" aria-labelledby="invoices-heading">
        <h2 id="invoices-heading">Invoices</h2>
        <Loaded resource={invoices}>
          {(list) =>
            list.data.length === 0 ? (
              <p class="empty">No invoices yet.</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Invoice</th>
                      <th scope="col">Status</th>
                      <th scope="col">Amount</th>
                      <th scope="col">Burn proof</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.data.map((i) => (
                      <tr key={i.id}>
                        <td>
                          {i.hosted_invoice_url ? <a href={i.hosted_invoice_url}>{i.number ?? i.id}</a> : (i.number ?? i.id)}
                          <div class="muted">{when(i.created)}</div>
                        </td>
                        <td>
                          <StatusBadge status={i.status} />
                        </td>
                        <td>{money(i.amount_due, i.currency)}</td>
                        <td>{i.status === 'paid' ? <BurnProof invoiceId={i.id} /> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
      </section>
    </>
  );
}
