import { LeomaProblemError } from '../../../sdk/js/src/problem-error.js';
import { sessionFetch } from './connection.js';

/** GET /v1/session (src/people): who the cookie belongs to. */
export interface SessionView {
  id: string;
  user_id: string | null;
  operator_id: string | null;
  email: string;
  tenant_id: string | null;
  role: string | null;
  memberships?: { tenant_id: string; tenant_name?: string; role: string }[];
}

export interface NewKey {
  id: string;
  mode: string;
  secret: string;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await sessionFetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new LeomaProblemError(await res.json(), res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const sessions = {
  /** The session the browser's cookie holds, or null when there is none. */
  async current(): Promise<SessionView | null> {
    const res = await sessionFetch('/v1/session');
    // 401/403: no session; 404: a server without sessions (key sign-in only).
    if (res.status === 401 || res.status === 403 || res.status === 404) return null;
    if (!res.ok) throw new LeomaProblemError(await res.json(), res);
    return (await res.json()) as SessionView;
  },
  requestLink: (email: string) => call<{ expires_at: string }>('POST', '/v1/auth/email-link', { email }),
  /** Staff: the link opens an operator session (the back office, by the operator's role). */
  requestOperatorLink: (email: string) => call<{ expires_at: string }>('POST', '/v1/auth/operator/email-link', { email }),
  signUp: (email: string, organization: string) => call<{ expires_at: string }>('POST', '/v1/signup', { email, organization: organization || undefined }),
  /** An enterprise claim link (made by sales): the person becomes a member of the provisioned tenant and is signed in. */
  claim: (token: string) => call<SessionView & { csrf_token: string; api_keys?: NewKey[] }>('POST', `/v1/claim-links/${encodeURIComponent(token)}/accept`),
  accept: (token: string) => call<SessionView & { csrf_token: string; api_keys?: NewKey[] }>('POST', '/v1/invitations/accept', { token }),
  verify: (token: string) => call<SessionView & { csrf_token: string; api_keys?: NewKey[] }>('POST', '/v1/auth/verify', { token }),
  signOut: () => call<void>('POST', '/v1/session/sign-out'),
};
