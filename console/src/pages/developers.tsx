import { useState } from 'preact/hooks';
import type { components } from '../../../sdk/js/src/index.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded, StatusBadge } from '../ui/status.js';

type Key = components['schemas']['ApiKeyObject'];
type Scope = NonNullable<components['schemas']['CreateApiKeyDto']['scopes']>[number];
type Endpoint = components['schemas']['WebhookEndpointObject'];
type Delivery = components['schemas']['DeliveryObject'];
type Event = components['schemas']['EventObject'];
const SCOPES: Scope[] = ['videos:read', 'videos:write', 'files:write', 'batches:write', 'webhooks:manage', 'billing:read', 'billing:write', 'keys:manage'];

/** A new secret, shown once: the API keeps only its hash. */
function Secret({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  return (
    <div class="secret" role="alert">
      <p>
        <strong>{label}</strong> Copy it now: it is shown only once.
      </p>
      <input aria-label={label} readOnly value={secret} onFocus={(e) => e.currentTarget.select()} data-testid="new-secret" />
      <button type="button" class="secondary" onClick={() => void navigator.clipboard?.writeText(secret)}>
        Copy
      </button>
      <button type="button" class="link" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function Keys() {
  const { client } = useConnection();
  const keys = useResource(async () => unwrap(await client.api.GET('/v1/api-keys')), []);
  const [secret, setSecret] = useState<string | null>(null);
  const [form, setForm] = useState({
    name: '',
    mode: 'live' as 'live' | 'test',
    scopes: new Set<Scope>(['videos:read', 'videos:write', 'files:write']),
    monthly: '',
  });
  const create = useAction(async () => {
    const monthly = form.monthly.trim() === '' ? undefined : Number(form.monthly);
    const key = unwrap(
      await client.api.POST('/v1/api-keys', { body: { name: form.name, mode: form.mode, scopes: [...form.scopes], monthly_video_seconds: monthly } }),
    ) as components['schemas']['ApiKeyWithSecret'];
    setSecret(key.secret);
    setForm((f) => ({ ...f, name: '' }));
    keys.reload();
  });
  const roll = useAction(async (id: string) => {
    const key = unwrap(await client.api.POST('/v1/api-keys/{id}/roll', { params: { path: { id } }, body: {} })) as components['schemas']['ApiKeyWithSecret'];
    setSecret(key.secret);
    keys.reload();
  });
  const revoke = useAction(async (k: Key) => {
    if (!confirm(`Revoke ${k.name || k.id}? Requests with it fail from now on.`)) return;
    unwrap(await client.api.DELETE('/v1/api-keys/{id}', { params: { path: { id: k.id } } }));
    keys.reload();
  });
  const toggle = (s: Scope, on: boolean) =>
    setForm((f) => {
      const scopes = new Set(f.scopes);
      if (on) scopes.add(s);
      else scopes.delete(s);
      return { ...f, scopes };
    });
  return (
    <section class="card" aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      {secret ? <Secret label="New API key." secret={secret} onDone={() => setSecret(null)} /> : null}
      <Loaded resource={keys}>
        {(list) => (
          <div class="table-wrap">
            <table aria-label="API keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(list.data as Key[]).map((k) => (
                  <tr key={k.id} data-key-id={k.id}>
                    <td>
                      {k.name || <span class="muted">unnamed</span>} <span class="badge">{k.mode}</span>
                    </td>
                    <td>
                      <code>{k.secret_start}…</code>
                      {k.revoked_at ? <StatusBadge status="revoked" /> : null}
                    </td>
                    <td class="scopes">{k.scopes.join(' ')}</td>
                    <td>{when(k.last_used_at)}</td>
                    <td class="row-actions">
                      {k.revoked_at ? null : (
                        <>
                          <button type="button" class="secondary" onClick={() => void roll.run(k.id)}>
                            Roll<span class="sr-only"> {k.name || k.id}</span>
                          </button>
                          <button type="button" class="danger" onClick={() => void revoke.run(k)}>
                            Revoke<span class="sr-only"> {k.name || k.id}</span>
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <ErrorBox error={roll.error ?? revoke.error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <h3>Create a key</h3>
        <div class="row">
          <div>
            <label for="key-name">Name</label>
            <input id="key-name" required maxLength={100} value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          </div>
          <div>
            <label for="key-mode">Mode</label>
            <select id="key-mode" value={form.mode} onChange={(e) => setForm({ ...form, mode: e.currentTarget.value as 'live' | 'test' })}>
              <option value="live">live</option>
              <option value="test">test</option>
            </select>
          </div>
          <div>
            <label for="key-budget">Monthly video-seconds (optional)</label>
            <input id="key-budget" type="number" min={0} value={form.monthly} onInput={(e) => setForm({ ...form, monthly: e.currentTarget.value })} />
          </div>
        </div>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <span class="check" key={s}>
              <input id={`scope-${s}`} type="checkbox" checked={form.scopes.has(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} />
              <label for={`scope-${s}`}>{s}</label>
            </span>
          ))}
        </fieldset>
        <button type="submit" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create key'}
        </button>
        <ErrorBox error={create.error} />
      </form>
    </section>
  );
}

function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const { client } = useConnection();
  const deliveries = useResource(
    async () => unwrap(await client.api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpoint.id }, query: { limit: 20 } } })),
    [endpoint.id],
  );
  return (
    <Loaded resource={deliveries}>
      {(list) =>
        list.data.length === 0 ? (
          <p class="muted">No deliveries yet.</p>
        ) : (
          <ul class="plain">
            {(list.data as Delivery[]).map((d) => (
              <li key={d.id} data-event-id={d.event_id}>
                <StatusBadge status={d.status} /> <code>{d.event_id}</code> · {d.attempts} attempt(s) {d.last_error ? `· ${d.last_error}` : ''}
              </li>
            ))}
          </ul>
        )
      }
    </Loaded>
  );
}

function Webhooks() {
  const { client } = useConnection();
  const endpoints = useResource(async () => unwrap(await client.api.GET('/v1/webhook-endpoints')), []);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const create = useAction(async () => {
    const e = unwrap(await client.api.POST('/v1/webhook-endpoints', { body: { url } })) as Endpoint;
    setSecret(e.secret ?? null);
    setUrl('');
    endpoints.reload();
  });
  const remove = useAction(async (id: string) => {
    unwrap(await client.api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id } } }));
    endpoints.reload();
  });
  return (
    <section class="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhook endpoints</h2>
      {secret ? <Secret label="Signing secret." secret={secret} onDone={() => setSecret(null)} /> : null}
      <Loaded resource={endpoints}>
        {(list) => (
          <ul class="plain">
            {(list.data as Endpoint[]).length === 0 ? <li class="muted">No endpoints.</li> : null}
            {(list.data as Endpoint[]).map((e) => (
              <li key={e.id}>
                <code>{e.url}</code> <StatusBadge status={e.status} />{' '}
                <button type="button" class="link" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>
                  Delivery log<span class="sr-only"> of {e.url}</span>
                </button>{' '}
                <button type="button" class="link" onClick={() => void remove.run(e.id)}>
                  Delete<span class="sr-only"> {e.url}</span>
                </button>
                {open === e.id ? <Deliveries endpoint={e} /> : null}
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
        <div class="grow">
          <label for="webhook-url">Endpoint URL</label>
          <input id="webhook-url" type="url" required placeholder="https://example.com/leoma" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={create.pending}>
          Add endpoint
        </button>
      </form>
      <ErrorBox error={create.error ?? remove.error} />
    </section>
  );
}

function Events() {
  const { client } = useConnection();
  const events = useResource(async () => unwrap(await client.api.GET('/v1/events', { params: { query: { limit: 25 } } })), []);
  const [redelivered, setRedelivered] = useState<{ event: string; count: number } | null>(null);
  const redeliver = useAction(async (id: string) => {
    const queued = unwrap(await client.api.POST('/v1/events/{id}/redeliver', { params: { path: { id } } }));
    setRedelivered({ event: id, count: queued.data.length });
  });
  return (
    <section class="card" aria-labelledby="events-heading">
      <h2 id="events-heading">Events</h2>
      <Loaded resource={events}>
        {(list) =>
          list.data.length === 0 ? (
            <p class="empty">No events yet.</p>
          ) : (
            <div class="table-wrap">
              <table aria-label="Event log">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Type</th>
                    <th scope="col">Object</th>
                    <th scope="col">When</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {(list.data as Event[]).map((e) => (
                    <tr key={e.id} data-event-type={e.type}>
                      <td>
                        <code>{e.id}</code>
                      </td>
                      <td>{e.type}</td>
                      <td>
                        <code>{(e.data as { id?: string }).id}</code>
                      </td>
                      <td>{when(e.created_at)}</td>
                      <td>
                        <button type="button" class="secondary" onClick={() => void redeliver.run(e.id)}>
                          Redeliver<span class="sr-only"> {e.id}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {redelivered ? (
        <p role="status" data-testid="redelivered">
          <code>{redelivered.event}</code> queued again for {redelivered.count} endpoint{redelivered.count === 1 ? '' : 's'}: see each endpoint's delivery log.
        </p>
      ) : null}
      <ErrorBox error={redeliver.error} />
    </section>
  );
}

export function Developers() {
  return (
    <>
      <h1 tabIndex={-1}>Developers</h1>
      <Keys />
      <Webhooks />
      <Events />
    </>
  );
}
