import type { components } from '../../../sdk/js/src/index.js';
import { LeomaProblemError, unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded } from '../ui/status.js';
import { Members } from './members.js';
import { SsoSettings } from './sso-settings.js';

type AuditEntry = components['schemas']['AuditEntryObject'];
interface SessionRow {
  id: string;
  current?: boolean;
  user_agent?: string | null;
  ip?: string | null;
  created_at: string;
  last_seen_at?: string | null;
}

/** The person's own browser sessions (session-only routes: a key has none). */
function Sessions() {
  const connection = useConnection();
  const read = async () => {
    const res = await connection.fetch('/v1/sessions');
    if (!res.ok) throw new LeomaProblemError(await res.json(), res);
    return ((await res.json()) as { data: SessionRow[] }).data;
  };
  const list = useResource(read, []);
  const revoke = useAction(async (id: string) => {
    const res = await connection.fetch(`/v1/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (!res.ok) throw new LeomaProblemError(await res.json(), res);
    list.reload();
  });
  if (connection.auth.kind !== 'session') return <p class="muted">Signed in with an API key: there are no browser sessions to show.</p>;
  return (
    <>
      <Loaded resource={list}>
        {(rows) => (
          <ul class="plain" aria-label="Sessions">
            {rows.map((s) => (
              <li key={s.id}>
                {s.user_agent || 'unknown browser'} <span class="muted">{s.ip}</span> · since {when(s.created_at)}{' '}
                {s.current ? (
                  <span class="badge">this browser</span>
                ) : (
                  <button type="button" class="link" onClick={() => void revoke.run(s.id)}>
                    Sign out<span class="sr-only"> session {s.id}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      <ErrorBox error={revoke.error} />
    </>
  );
}

function AuditLog() {
  const { client } = useConnection();
  const log = useResource(async () => unwrap(await client.api.GET('/v1/audit-log', { params: { query: { limit: 25 } } })), []);
  return (
    <Loaded resource={log}>
      {(page) =>
        page.data.length === 0 ? (
          <p class="empty">Nothing audited yet.</p>
        ) : (
          <div class="table-wrap">
            <table aria-label="Audit log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                </tr>
              </thead>
              <tbody>
                {(page.data as AuditEntry[]).map((e) => (
                  <tr key={e.id}>
                    <td>{when(e.created_at)}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      <code>{(e.actor as { id?: string }).id}</code>
                    </td>
                    <td>
                      <code>{(e.target as { id?: string }).id}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Loaded>
  );
}

export function Team() {
  return (
    <>
      <h1 tabIndex={-1}>Team and security</h1>
      <section class="card" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <Members />
      </section>
      <section class="card" aria-labelledby="sso-heading">
        <h2 id="sso-heading">Single sign-on</h2>
        <SsoSettings />
      </section>
      <section class="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Your sessions</h2>
        <Sessions />
      </section>
      <section class="card" aria-labelledby="audit-heading">
        <h2 id="audit-heading">Audit log</h2>
        <AuditLog />
      </section>
    </>
  );
}
