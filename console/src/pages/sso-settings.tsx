import { useState } from 'preact/hooks';
import type { components } from '../../../sdk/js/src/index.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded } from '../ui/status.js';

type Sso = components['schemas']['SsoConnectionObject'];
const JIT_ROLES = ['admin', 'developer', 'billing', 'viewer'] as const;

/**
 * Single sign-on (OIDC) on GET/PUT/DELETE /v1/sso: the provider, the client, which email domains
 * may sign in (and join just in time, with which role), and whether SSO is required. The client
 * secret is write-only: left empty on a change, the stored one is kept.
 */
export function SsoSettings() {
  const { client } = useConnection();
  const sso = useResource(async () => {
    const res = await client.api.GET('/v1/sso');
    // 404: not set up yet (the form starts empty).
    if (res.response.status === 404) return null;
    return unwrap(res) as Sso;
  }, []);
  return <Loaded resource={sso}>{(current) => <SsoForm key={current?.updated_at ?? 'new'} current={current} reload={sso.reload} />}</Loaded>;
}

function SsoForm({ current, reload }: { current: Sso | null; reload: () => void }) {
  const { client } = useConnection();
  const [form, setForm] = useState({
    issuer: current?.issuer ?? '',
    client_id: current?.client_id ?? '',
    client_secret: '',
    domains: current?.allowed_domains.join(', ') ?? '',
    default_role: (current?.default_role ?? 'viewer') as (typeof JIT_ROLES)[number],
    sso_required: current?.sso_required ?? false,
  });
  const save = useAction(async () => {
    const body = {
      issuer: form.issuer.trim(),
      client_id: form.client_id.trim(),
      client_secret: form.client_secret === '' ? undefined : form.client_secret,
      allowed_domains: form.domains
        .split(/[\s,]+/)
        .map((d) => d.trim())
        .filter(Boolean),
      default_role: form.default_role,
      sso_required: form.sso_required,
    };
    unwrap(await client.api.PUT('/v1/sso', { body }));
    reload();
  });
  const remove = useAction(async () => {
    unwrap(await client.api.DELETE('/v1/sso'));
    reload();
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      {current ? (
        <dl class="facts" data-testid="sso-configured">
          <dt>Redirect URI</dt>
          <dd>
            <code>{current.redirect_uri}</code> <span class="muted">(register it with your provider)</span>
          </dd>
          <dt>Changed</dt>
          <dd>{when(current.updated_at)}</dd>
        </dl>
      ) : (
        <p class="muted">Not set up: members sign in by email link.</p>
      )}
      <div class="row">
        <div class="grow">
          <label for="sso-issuer">Issuer URL</label>
          <input id="sso-issuer" type="url" required value={form.issuer} onInput={(e) => setForm({ ...form, issuer: e.currentTarget.value })} />
        </div>
        <div class="grow">
          <label for="sso-client">Client ID</label>
          <input id="sso-client" required value={form.client_id} onInput={(e) => setForm({ ...form, client_id: e.currentTarget.value })} />
        </div>
      </div>
      <div class="row">
        <div class="grow">
          <label for="sso-secret">Client secret{current ? ' (empty: keep the stored one)' : ''}</label>
          <input
            id="sso-secret"
            type="password"
            autoComplete="off"
            required={!current}
            value={form.client_secret}
            onInput={(e) => setForm({ ...form, client_secret: e.currentTarget.value })}
          />
        </div>
        <div class="grow">
          <label for="sso-domains">Allowed email domains</label>
          <input
            id="sso-domains"
            required
            placeholder="example.com, example.org"
            value={form.domains}
            onInput={(e) => setForm({ ...form, domains: e.currentTarget.value })}
          />
        </div>
        <div>
          <label for="sso-role">Role of new members</label>
          <select
            id="sso-role"
            value={form.default_role}
            onChange={(e) => setForm({ ...form, default_role: e.currentTarget.value as (typeof JIT_ROLES)[number] })}
          >
            {JIT_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class="check">
        <input id="sso-required" type="checkbox" checked={form.sso_required} onChange={(e) => setForm({ ...form, sso_required: e.currentTarget.checked })} />
        <label for="sso-required">Require SSO (email links stop working for this organization)</label>
      </p>
      <div class="actions">
        <button type="submit" disabled={save.pending}>
          {save.pending ? 'Saving…' : 'Save SSO settings'}
        </button>
        {current ? (
          <button
            type="button"
            class="danger"
            disabled={remove.pending}
            onClick={() => confirm('Turn single sign-on off? Email links work again for every member.') && void remove.run()}
          >
            Turn SSO off
          </button>
        ) : null}
      </div>
      <ErrorBox error={save.error ?? remove.error} />
    </form>
  );
}
