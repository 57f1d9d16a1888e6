import { useState } from 'preact/hooks';
import type { Auth } from '../api/connection.js';
import { useAction } from '../api/use-resource.js';
import { ErrorBox } from '../ui/status.js';
import { LeomaProblemError } from '../../../client/problem-error.js';

/**
 * An API key typed here stays in this tab's memory only (never in storage or a cookie) and is
 * checked against /v1/me (a tenant key) or /v1/admin/operators (an operator key) before use.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (auth: Auth) => void }) {
  const [key, setKey] = useState('');
  const check = useAction(async (candidate: string) => {
    const path = candidate.startsWith('lk_op_') ? '/v1/admin/operators?limit=1' : '/v1/me';
    const res = await fetch(path, { headers: { authorization: `Bearer ${candidate}` }, credentials: 'omit' });
    if (!res.ok) {
      throw new LeomaProblemError(await res.json(), res);
    }
    onSignedIn({ kind: 'key', key: candidate });
  });
  return (
    <main id="main" class="sign-in">
      <h1 tabIndex={-1}>Leoma console</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void check.run(key.trim());
        }}
      >
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} required placeholder="lk_live_…" />
        <p class="muted">Kept in this tab's memory only: closing the tab signs you out.</p>
        <button type="submit" disabled={check.pending}>
          {check.pending ? 'Signing in…' : 'Sign in'}
        </button>
        <ErrorBox error={check.error} />
      </form>
    </main>
  );
}
