import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import createClient, { type Client } from 'openapi-fetch';
import { createLeomaClient, type LeomaClient } from '../../../sdk/js/src/index.js';
import type { paths as OperatorPaths } from './operator-schema.js';

/**
 * How the console proves who it is. A signed-in person has a session: an HttpOnly cookie the
 * browser sends by itself, and a CSRF token (the `leoma_csrf` cookie, readable by our own
 * scripts only) echoed in `X-CSRF-Token` on every request. An API key, the other way in, is only
 * ever held in this tab's memory, never stored.
 */
export type Auth = { kind: 'session'; mode: 'live' | 'test' } | { kind: 'key'; key: string };

export const CSRF_HEADER = 'x-csrf-token';
const CSRF_COOKIE = 'leoma_csrf';
/** Fired when the API says the session is gone (expired, revoked, signed out elsewhere). */
export const SIGNED_OUT_EVENT = 'console:signed-out';

export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export interface Connection {
  auth: Auth;
  client: LeomaClient;
  /** The operator API (back office), typed from the operator spec: the SDK's types describe only the public one. */
  operator: Client<OperatorPaths>;
  /** Same-origin fetch with this connection's credentials, for what the typed client has no helper for (event streams, downloads). */
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
}

/** A fetch for session callers: cookies go by themselves; the CSRF token goes in its header. */
export async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, { ...init, credentials: 'same-origin' });
  const csrf = csrfToken();
  if (csrf) request.headers.set(CSRF_HEADER, csrf);
  return fetch(request);
}

export function connect(auth: Auth): Connection {
  const authed = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (auth.kind === 'session') {
      // The shared client always sets a bearer header; a session caller has none to send.
      request.headers.delete('authorization');
      // A session acts on the tenant's live side unless asked for its test side (the sandbox: nothing is charged).
      if (auth.mode === 'test') request.headers.set('leoma-mode', 'test');
      const res = await sessionFetch(request);
      if (res.status === 401) dispatchEvent(new Event(SIGNED_OUT_EVENT));
      return res;
    }
    request.headers.set('authorization', `Bearer ${auth.key}`);
    return fetch(request, { credentials: 'omit' });
  };
  const client = createLeomaClient({ baseUrl: location.origin, apiKey: auth.kind === 'key' ? auth.key : 'session', fetch: authed, retry: { maxRetries: 2 } });
  const operator = createClient<OperatorPaths>({ baseUrl: location.origin, fetch: authed });
  return { auth, client, operator, fetch: (input, init) => authed(new URL(input, location.origin), init) };
}

export const ConnectionContext = createContext<Connection | null>(null);

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('useConnection outside a signed-in console');
  return connection;
}
