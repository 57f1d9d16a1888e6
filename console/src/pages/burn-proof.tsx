import type { components } from '../../../sdk/js/src/index.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { money } from '../api/format.js';
import { useResource } from '../api/use-resource.js';
import { Loaded, StatusBadge } from '../ui/status.js';

type Proof = components['schemas']['InvoiceBurnProofObject'];
type Allocation = Proof['allocations'][number];

/** What /burns?proof= checks: the leaf's fields, the path and the period, as the treasury's public page parses them. */
function verifyUrl(a: Allocation): string {
  const proof = {
    allocation_id: a.allocation_id,
    invoice_id: a.invoice_id,
    amount_minor: a.amount_minor,
    currency: a.currency,
    policy_version: a.policy_version,
    period: a.period,
    path: a.path,
  };
  return `/burns?proof=${encodeURIComponent(JSON.stringify(proof))}`;
}

function AllocationProof({ a }: { a: Allocation }) {
  return (
    <li data-allocation-id={a.allocation_id}>
      <p>
        {money(a.amount_minor, a.currency)} to buy-and-burn ({a.kind.replace(/_/g, ' ')}), month {a.period}
        {a.period_closed ? '' : ' — the month is not closed yet, so there is no proof yet'}
      </p>
      {a.burns.length > 0 ? (
        <ul class="plain" aria-label={`Burns funded by ${a.allocation_id}`}>
          {a.burns.map((b) => (
            <li key={b.burn_id}>
              burn <code>{b.burn_id}</code> <StatusBadge status={b.status} />
              {b.block_number !== null ? ` · block ${b.block_number}, extrinsic ${b.extrinsic_index}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No burn has spent it yet.</p>
      )}
      {a.merkle_root ? (
        <dl class="facts">
          <dt>Merkle root</dt>
          <dd>
            <code class="digest">{a.merkle_root}</code> (leaf {Number(a.leaf_index) + 1} of {a.leaf_count})
          </dd>
          <dt>On chain</dt>
          <dd data-testid="burn-anchor">
            {a.anchor ? (
              <>
                memo of burn <code>{a.anchor.burn_id}</code> <StatusBadge status={a.anchor.status} />
                {a.anchor.block_number !== null ? ` · block ${a.anchor.block_number}, extrinsic ${a.anchor.extrinsic_index}` : ' · not in a block yet'}
                {a.anchor.extrinsic_hash ? (
                  <div>
                    <code class="digest">{a.anchor.extrinsic_hash}</code>
                  </div>
                ) : null}
              </>
            ) : (
              'no burn carries this month yet'
            )}
          </dd>
        </dl>
      ) : null}
      {a.merkle_root ? (
        <a href={verifyUrl(a)} target="_blank" rel="noopener">
          Verify this proof<span class="sr-only"> for {a.allocation_id}</span>
        </a>
      ) : null}
    </li>
  );
}

/**
 * A paid invoice's burn proof (GET /v1/billing/invoices/{id}/burn-proof): each treasury allocation
 * of it, the burns it funded (extrinsic, block), and the Merkle proof whose root the anchoring
 * burn's on-chain memo carries, with a link that checks it on the public burns page.
 */
export function BurnProof({ invoiceId }: { invoiceId: string }) {
  const { client } = useConnection();
  const proof = useResource(async () => {
    const res = await client.api.GET('/v1/billing/invoices/{id}/burn-proof', { params: { path: { id: invoiceId } } });
    // 404: the payment has no treasury allocation yet (it is made when the payment is booked).
    if (res.response.status === 404) return null;
    return unwrap(res) as Proof;
  }, [invoiceId]);
  return (
    <Loaded resource={proof}>
      {(p) =>
        !p || p.allocations.length === 0 ? (
          <span class="muted">no allocation yet</span>
        ) : (
          <details data-testid={`burn-proof-${invoiceId}`}>
            <summary>
              {p.allocations.length} allocation{p.allocations.length === 1 ? '' : 's'}
              <span class="sr-only"> of invoice {invoiceId}</span>
            </summary>
            <ul class="plain">
              {p.allocations.map((a) => (
                <AllocationProof key={a.allocation_id} a={a} />
              ))}
            </ul>
          </details>
        )
      }
    </Loaded>
  );
}
