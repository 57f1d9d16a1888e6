import { useState } from 'preact/hooks';
import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded, StatusBadge } from '../ui/status.js';
import { ClaimLinks } from './claim-links.js';

type Tenant = components['schemas']['TenantObject'];

/** Sales: create and provision tenants (plan, billing terms, a first key), hand them over by claim link, suspend and resume. Others of the tenants' roles read. */
export function Tenants({ role }: { role: string | null }) {
  const sales = role === 'sales' || role === 'admin';
  // Opening a tenant's claim links again reloads them (a new key: the panel is drawn anew).
  const [handingOver, setHandingOver] = useState<{ tenant: Tenant; opened: number } | null>(null);
  const { operator } = useConnection();
  const tenants = useResource(async () => unwrap(await operator.GET('/v1/admin/tenants', { params: { query: { limit: 50 } } })), []);
  const [form, setForm] = useState({
    name: '',
    plan: 'enterprise',
    billing_mode: 'invoice' as 'invoice' | 'self_serve',
    net_days: '30',
    base: '',
    included: '',
  });
  const [handover, setHandover] = useState<{ tenant: string; secret: string } | null>(null);
  const create = useAction(async () => {
    const tenant = unwrap(
      await operator.POST('/v1/admin/tenants', {
        body: {
          name: form.name,
          plan: form.plan,
          billing_mode: form.billing_mode,
          net_days: form.billing_mode === 'invoice' ? Number(form.net_days) : undefined,
        },
      }),
    ) as Tenant;
    // A contract (its own rates) when sales set any; it takes effect from the next period boundary, the plan's terms until then.
    if (form.base !== '' || form.included !== '') {
      const body = {
        plan: form.plan,
        base_amount: form.base === '' ? undefined : Math.round(Number(form.base) * 100),
        included_video_seconds: form.included === '' ? undefined : Number(form.included),
      };
      unwrap(await operator.POST('/v1/admin/tenants/{id}/contract', { params: { path: { id: tenant.id } }, body }));
    }
    const key = unwrap(
      await operator.POST('/v1/admin/tenants/{id}/api-keys', { params: { path: { id: tenant.id } }, body: { name: 'first key' } as never }),
    ) as unknown as { secret: string };
    setHandover({ tenant: tenant.id, secret: key.secret });
    setHandingOver({ tenant, opened: Date.now() });
    setForm((f) => ({ ...f, name: '', base: '', included: '' }));
    tenants.reload();
  });
  const toggle = useAction(async (t: Tenant) => {
    const path = t.status === 'active' ? '/v1/admin/tenants/{id}/suspend' : '/v1/admin/tenants/{id}/resume';
    unwrap(await operator.POST(path, { params: { path: { id: t.id } }, body: {} as never }));
    tenants.reload();
  });
  return (
    <>
      <h1 tabIndex={-1}>Tenants</h1>
      {sales ? (
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}
        >
          <h2>Provision a tenant</h2>
          <div class="row">
            <div class="grow">
              <label for="tenant-name">Company name</label>
              <input id="tenant-name" required value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
            </div>
            <div>
              <label for="tenant-plan">Plan</label>
              <input id="tenant-plan" required value={form.plan} onInput={(e) => setForm({ ...form, plan: e.currentTarget.value })} />
            </div>
            <div>
              <label for="tenant-billing">Billing</label>
              <select
                id="tenant-billing"
                value={form.billing_mode}
                onChange={(e) => setForm({ ...form, billing_mode: e.currentTarget.value as 'invoice' | 'self_serve' })}
              >
                <option value="invoice">invoice</option>
                <option value="self_serve">card (self-serve)</option>
              </select>
            </div>
            {form.billing_mode === 'invoice' ? (
              <div>
                <label for="tenant-net">Net days</label>
                <input
                  id="tenant-net"
                  type="number"
                  min={0}
                  max={120}
                  value={form.net_days}
                  onInput={(e) => setForm({ ...form, net_days: e.currentTarget.value })}
                />
              </div>
            ) : null}
          </div>
          <fieldset>
            <legend>Contract (optional: the plan's terms otherwise)</legend>
            <div class="row">
              <div>
                <label for="contract-base">Monthly base (USD)</label>
                <input
                  id="contract-base"
                  type="number"
                  min={0}
                  step="0.01"
                  value={form.base}
                  onInput={(e) => setForm({ ...form, base: e.currentTarget.value })}
                />
              </div>
              <div>
                <label for="contract-included">Included video-seconds a month</label>
                <input
                  id="contract-included"
                  type="number"
                  min={0}
                  value={form.included}
                  onInput={(e) => setForm({ ...form, included: e.currentTarget.value })}
                />
              </div>
            </div>
          </fieldset>
          <button type="submit" disabled={create.pending}>
            {create.pending ? 'Provisioning…' : 'Create tenant'}
          </button>
          <ErrorBox error={create.error} />
          {handover ? (
            <div class="secret" role="alert">
              <p>
                <strong>
                  Tenant <code>{handover.tenant}</code> created.
                </strong>{' '}
                Hand its first key over securely; it is shown once.
              </p>
              <input aria-label="First API key" readOnly value={handover.secret} />
            </div>
          ) : null}
        </form>
      ) : null}
      {handingOver ? (
        <ClaimLinks
          key={`${handingOver.tenant.id}-${handingOver.opened}`}
          tenantId={handingOver.tenant.id}
          tenantName={handingOver.tenant.name}
          canCreate={sales}
        />
      ) : null}
      <Loaded resource={tenants}>
        {(list) => (
          <div class="table-wrap">
            <table aria-label="Tenants">
              <thead>
                <tr>
                  <th scope="col">Tenant</th>
                  <th scope="col">Plan</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(list.data as Tenant[]).map((t) => (
                  <tr key={t.id} data-tenant-id={t.id}>
                    <td>
                      {t.name}
                      <div class="muted">
                        <code>{t.id}</code>
                      </div>
                    </td>
                    <td>{t.plan}</td>
                    <td>
                      <StatusBadge status={t.status} />
                    </td>
                    <td>{when(t.created_at)}</td>
                    <td class="row-actions">
                      {role === 'finance' ? null : (
                        <button type="button" class="secondary" onClick={() => setHandingOver({ tenant: t, opened: Date.now() })}>
                          Claim links<span class="sr-only"> of {t.name}</span>
                        </button>
                      )}
                      {role === 'finance' ? null : (
                        <button type="button" class={t.status === 'active' ? 'danger' : 'secondary'} onClick={() => void toggle.run(t)}>
                          {t.status === 'active' ? 'Suspend' : 'Resume'}
                          <span class="sr-only"> {t.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <ErrorBox error={toggle.error} />
    </>
  );
}
