import { useState } from 'preact/hooks';
import { LeomaProblemError } from '../../../sdk/js/src/problem-error.js';
import { type Connection, useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded, StatusBadge } from '../ui/status.js';

/** src/people's claim links (POST/GET /v1/admin/tenants/{id}/claim-links, DELETE …/{linkId}); typed here until the operator spec has them. */
interface ClaimLink {
  id: string;
  email: string;
  role: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expires_at: string;
  accepted_at: string | null;
  created_at: string;
}
const ROLES = ['owner', 'admin', 'developer', 'billing', 'viewer'] as const;

async function call<T>(connection: Connection, method: string, path: string, body?: unknown): Promise<T> {
  const res = await connection.fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new LeomaProblemError(await res.json(), res);
  return (await res.json()) as T;
}

/**
 * Sales hands a provisioned tenant over: a claim link for the customer's first owner (mailed to
 * them too; the URL is shown once here, only its hash is kept), the links made so far, and revoke.
 */
export function ClaimLinks({ tenantId, tenantName, canCreate }: { tenantId: string; tenantName: string; canCreate: boolean }) {
  const connection = useConnection();
  const base = `/v1/admin/tenants/${encodeURIComponent(tenantId)}/claim-links`;
  const links = useResource(async () => (await call<{ data: ClaimLink[] }>(connection, 'GET', base)).data, [tenantId]);
  const [form, setForm] = useState({ email: '', role: 'owner' });
  const [made, setMade] = useState<{ email: string; url: string } | null>(null);
  const create = useAction(async () => {
    const link = await call<ClaimLink & { url: string }>(connection, 'POST', base, { email: form.email.trim(), role: form.role });
    setMade({ email: link.email, url: link.url });
    setForm({ ...form, email: '' });
    links.reload();
  });
  const revoke = useAction(async (id: string) => {
    await call<ClaimLink>(connection, 'DELETE', `${base}/${encodeURIComponent(id)}`);
    links.reload();
  });
  return (
    <section class="card" aria-labelledby="claim-heading" data-claim-tenant={tenantId}>
      <h2 id="claim-heading">Hand {tenantName} over</h2>
      {/* Support may read and withdraw links; only sales (and admins) make them. */}
      {canCreate ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}
        >
          <div class="row">
            <div class="grow">
              <label for="claim-email">Customer's email</label>
              <input id="claim-email" type="email" required value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
            </div>
            <div>
              <label for="claim-role">Their role</label>
              <select id="claim-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button type="submit" disabled={create.pending}>
            {create.pending ? 'Making the link…' : 'Make a claim link'}
          </button>
          <ErrorBox error={create.error} />
        </form>
      ) : null}
      {made ? (
        <div class="secret" role="alert">
          <p>
            A claim link was mailed to <strong>{made.email}</strong>. It is shown here once, if you need to send it another way.
          </p>
          <input aria-label="Claim link" readOnly value={made.url} />
        </div>
      ) : null}
      <Loaded resource={links}>
        {(list) =>
          list.length === 0 ? (
            <p class="empty">No claim links yet.</p>
          ) : (
            <div class="table-wrap">
              <table aria-label="Claim links">
                <thead>
                  <tr>
                    <th scope="col">For</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((l) => (
                    <tr key={l.id} data-claim-link={l.id}>
                      <td>
                        {l.email} <span class="muted">as {l.role}</span>
                      </td>
                      <td>
                        <StatusBadge status={l.status} />
                      </td>
                      <td>{l.status === 'accepted' ? `accepted ${when(l.accepted_at)}` : when(l.expires_at)}</td>
                      <td>
                        {l.status === 'pending' ? (
                          <button
                            type="button"
                            class="danger"
                            disabled={revoke.pending}
                            onClick={() => confirm(`Withdraw the claim link for ${l.email}?`) && void revoke.run(l.id)}
                          >
                            Revoke<span class="sr-only"> the link for {l.email}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      <ErrorBox error={revoke.error} />
    </section>
  );
}
