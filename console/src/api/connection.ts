import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { createLeomaClient, type LeomaClient } from '../../../client/index.js';

/**
 * How the console proves who it is. A signed-in person has a session cookie (HttpOnly, set by the
 * API) and echoes the session's CSRF token in a header on every request; an API key is only ever
 * held in memory for the life of the tab, never stored.
 */
export type Auth = { kind: 'session'; csrfToken: string } | { kind: 'key'; key: string };

export const CSRF_HEADER = 'x-csrf-token';

export interface Connection {
  auth: Auth;
  client: LeomaClient;
  /** Same-origin fetch with this connection's credentials, for what the typed client has no helper for (event streams). */
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
}

export function connect(auth: Auth): Connection {
  const authed = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, { ...init, credentials: 'same-origin' });
    if (auth.kind === 'session') {
      // The shared client always sets a bearer header; a session caller has none to send.
      request.headers.delete('authorization');
      request.headers.set(CSRF_HEADER, auth.csrfToken);
    } else {
      request.headers.set('authorization', `Bearer ${auth.key}`);
    }
    return fetch(request);
  };
  const client = createLeomaClient({ baseUrl: location.origin, apiKey: auth.kind === 'key' ? auth.key : 'session', fetch: authed, retry: { maxRetries: 2 } });
  return { auth, client, fetch: (input, init) => authed(new URL(input, location.origin), init) };
}

export const ConnectionContext = createContext<Connection | null>(null);

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('useConnection outside a signed-in console');
  return connection;
}
