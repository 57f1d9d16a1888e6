import { useState } from 'preact/hooks';
import type { components } from '../../../sdk/js/src/index.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded } from '../ui/status.js';

type Member = components['schemas']['MemberObject'];
type Invitation = components['schemas']['InvitationObject'];
type Role = components['schemas']['InviteMemberDto']['role'];
const ROLES: Role[] = ['owner', 'admin', 'developer', 'billing', 'viewer'];

/** Members and their roles, and emailed invitations (owners and admins: `members:manage`). */
export function Members() {
  const { client } = useConnection();
  const members = useResource(async () => unwrap(await client.api.GET('/v1/members')), []);
  const invitations = useResource(async () => unwrap(await client.api.GET('/v1/invitations')), []);
  const [invite, setInvite] = useState<{ email: string; role: Role }>({ email: '', role: 'developer' });
  const send = useAction(async () => {
    unwrap(await client.api.POST('/v1/invitations', { body: invite }));
    setInvite((i) => ({ ...i, email: '' }));
    invitations.reload();
  });
  const changeRole = useAction(async (id: string, role: Role) => {
    unwrap(await client.api.PATCH('/v1/members/{id}', { params: { path: { id } }, body: { role } }));
    members.reload();
  });
  const remove = useAction(async (m: Member) => {
    if (!confirm(`Remove ${m.email}? Their sessions here end at once.`)) return;
    unwrap(await client.api.DELETE('/v1/members/{id}', { params: { path: { id: m.id } } }));
    members.reload();
  });
  const revoke = useAction(async (id: string) => {
    unwrap(await client.api.DELETE('/v1/invitations/{id}', { params: { path: { id } } }));
    invitations.reload();
  });
  return (
    <>
      <Loaded resource={members}>
        {(list) => (
          <div class="table-wrap">
            <table aria-label="Members">
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(list.data as Member[]).map((m) => (
                  <tr key={m.id} data-member={m.email}>
                    <td>{m.email}</td>
                    <td>
                      <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => void changeRole.run(m.id, e.currentTarget.value as Role)}>
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    </td>
                    <td>{when(m.created_at)}</td>
                    <td>
                      <button type="button" class="danger" onClick={() => void remove.run(m)}>
                        Remove<span class="sr-only"> {m.email}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <ErrorBox error={changeRole.error ?? remove.error} />
      <h3>Invitations</h3>
      <Loaded resource={invitations}>
        {(list) => {
          const open = (list.data as Invitation[]).filter((i) => !i.accepted_at && !i.revoked_at);
          return open.length === 0 ? (
            <p class="muted">No open invitations.</p>
          ) : (
            <ul class="plain" aria-label="Open invitations">
              {open.map((i) => (
                <li key={i.id}>
                  {i.email} as <span class="badge">{i.role}</span> <span class="muted">until {when(i.expires_at)}</span>{' '}
                  <button type="button" class="link" onClick={() => void revoke.run(i.id)}>
                    Revoke<span class="sr-only"> invitation of {i.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          );
        }}
      </Loaded>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void send.run();
        }}
      >
        <div class="grow">
          <label for="invite-email">Email</label>
          <input id="invite-email" type="email" required value={invite.email} onInput={(e) => setInvite({ ...invite, email: e.currentTarget.value })} />
        </div>
        <div>
          <label for="invite-role">Role</label>
          <select id="invite-role" value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.currentTarget.value as Role })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={send.pending}>
          {send.pending ? 'Inviting…' : 'Invite'}
        </button>
      </form>
      <ErrorBox error={send.error ?? revoke.error} />
    </>
  );
}
