import { useState } from 'preact/hooks';
import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useResource } from '../api/use-resource.js';
import { Loaded, StatusBadge } from '../ui/status.js';

type Tenant = components['schemas']['TenantObject'];
type Video = components['schemas']['VideoObject'];
type Failures = components['schemas']['VideoFailureCounts'];
const STATUSES = ['', 'queued', 'running', 'succeeded', 'failed', 'canceled', 'expired'] as const;

/**
 * Support's look at one tenant: its failures of the last 30 days by error code (a code opens its
 * videos) and its videos filtered by status and error code, paged. Every read is audited by the API.
 */
export function TenantVideos() {
  const { operator } = useConnection();
  const tenants = useResource(async () => unwrap(await operator.GET('/v1/admin/tenants', { params: { query: { limit: 100 } } })), []);
  const [tenant, setTenant] = useState('');
  const [mode, setMode] = useState<'live' | 'test'>('live');
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('');
  const [errorCode, setErrorCode] = useState('');
  const [cursor, setCursor] = useState<string[]>([]);
  const filters = { tenant, mode, status, errorCode, after: cursor.at(-1) };
  const failures = useResource(
    async () =>
      tenant ? (unwrap(await operator.GET('/v1/admin/tenants/{id}/video-failures', { params: { path: { id: tenant }, query: { mode } } })) as Failures) : null,
    [tenant, mode],
  );
  const videos = useResource(
    async () =>
      tenant
        ? unwrap(
            await operator.GET('/v1/admin/tenants/{id}/videos', {
              params: {
                path: { id: tenant },
                query: { mode, limit: 20, status: status || undefined, error_code: errorCode || undefined, starting_after: filters.after },
              },
            }),
          )
        : null,
    [tenant, mode, status, errorCode, filters.after],
  );
  const refilter = (change: () => void) => {
    change();
    setCursor([]);
  };
  return (
    <section class="card" aria-labelledby="tenant-videos-heading">
      <h2 id="tenant-videos-heading">A tenant's videos and failures</h2>
      <Loaded resource={tenants}>
        {(list) => (
          <div class="row">
            <div class="grow">
              <label for="support-tenant">Tenant</label>
              <select id="support-tenant" value={tenant} onChange={(e) => refilter(() => setTenant(e.currentTarget.value))}>
                <option value="">Choose a tenant…</option>
                {(list.data as Tenant[]).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({t.id})
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="support-mode">Side</label>
              <select id="support-mode" value={mode} onChange={(e) => refilter(() => setMode(e.currentTarget.value as 'live' | 'test'))}>
                <option value="live">live</option>
                <option value="test">test (sandbox)</option>
              </select>
            </div>
            <div>
              <label for="support-status">Status</label>
              <select id="support-status" value={status} onChange={(e) => refilter(() => setStatus(e.currentTarget.value as (typeof STATUSES)[number]))}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s || 'any'}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="support-error">Error code</label>
              <input
                id="support-error"
                value={errorCode}
                placeholder="any"
                pattern="[a-z0-9_]*"
                onChange={(e) => refilter(() => setErrorCode(e.currentTarget.value.trim()))}
              />
            </div>
          </div>
        )}
      </Loaded>
      {tenant ? (
        <>
          <h3>Failures in the last 30 days</h3>
          <Loaded resource={failures}>
            {(f) =>
              !f ? null : f.data.length === 0 ? (
                <p class="empty">
                  No failures: {f.total} videos since {when(f.since)}.
                </p>
              ) : (
                <div class="table-wrap">
                  <p data-testid="failure-rate">
                    {f.failed} of {f.total} videos failed since {when(f.since)}
                  </p>
                  <table aria-label="Failures by error code">
                    <thead>
                      <tr>
                        <th scope="col">Error code</th>
                        <th scope="col">Videos</th>
                        <th scope="col">Latest</th>
                        <th scope="col">Message</th>
                      </tr>
                    </thead>
                    <tbody>
                      {f.data.map((c) => (
                        <tr key={c.code} data-code={c.code}>
                          <td>
                            <button type="button" class="link" onClick={() => refilter(() => (setStatus('failed'), setErrorCode(c.code)))}>
                              {c.code}
                              <span class="sr-only"> — show these videos</span>
                            </button>
                          </td>
                          <td>{c.count}</td>
                          <td>
                            {when(c.last_at)}
                            <div class="muted">
                              <code>{c.last_video_id}</code>
                            </div>
                          </td>
                          <td>{c.last_message ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )
            }
          </Loaded>
          <h3>Videos</h3>
          <Loaded resource={videos}>
            {(page) =>
              !page ? null : page.data.length === 0 ? (
                <p class="empty">No videos match.</p>
              ) : (
                <div class="table-wrap">
                  <table aria-label="Tenant videos">
                    <thead>
                      <tr>
                        <th scope="col">Video</th>
                        <th scope="col">Status</th>
                        <th scope="col">Error</th>
                        <th scope="col">Prompt</th>
                      </tr>
                    </thead>
                    <tbody>
                      {(page.data as Video[]).map((v) => (
                        <tr key={v.id} data-video-id={v.id}>
                          <td>
                            <code>{v.id}</code>
                            <div class="muted">{when(v.created_at)}</div>
                          </td>
                          <td>
                            <StatusBadge status={v.status} />
                          </td>
                          <td>{v.error ? `${v.error.code}: ${v.error.message}` : '—'}</td>
                          <td>{v.prompt}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <div class="actions">
                    {cursor.length > 0 ? (
                      <button type="button" class="secondary" onClick={() => setCursor(cursor.slice(0, -1))}>
                        Newer
                      </button>
                    ) : null}
                    {page.has_more ? (
                      <button type="button" class="secondary" onClick={() => setCursor([...cursor, page.data.at(-1)!.id])}>
                        Older
                      </button>
                    ) : null}
                  </div>
                </div>
              )
            }
          </Loaded>
        </>
      ) : null}
    </section>
  );
}
