import { useState } from 'preact/hooks';
import { LeomaProblemError } from '../../../sdk/js/src/problem-error.js';
import type { Auth } from '../api/connection.js';
import { sessions } from '../api/session.js';
import { useAction } from '../api/use-resource.js';
import { ErrorBox } from '../ui/status.js';

/**
 * Sign in or sign up by email: the API mails a one-time link that opens /console/verify in this
 * browser. An API key typed under "Use an API key" stays in this tab's memory only (never in
 * storage or a cookie) and is checked before use.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (auth: Auth) => void }) {
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [email, setEmail] = useState('');
  const [organization, setOrganization] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const send = useAction(async () => {
    if (mode === 'sign-up') await sessions.signUp(email.trim(), organization.trim());
    else await sessions.requestLink(email.trim());
    setSent(email.trim());
  });
  const withKey = useAction(async (candidate: string) => {
    const path = candidate.startsWith('lk_op_') ? '/v1/admin/operators?limit=1' : '/v1/me';
    const res = await fetch(path, { headers: { authorization: `Bearer ${candidate}` }, credentials: 'omit' });
    if (!res.ok) throw new LeomaProblemError(await res.json(), res);
    onSignedIn({ kind: 'key', key: candidate });
  });
  return (
    <main id="main" class="sign-in">
      <h1 tabIndex={-1}>{mode === 'sign-in' ? 'Sign in to Leoma' : 'Create your Leoma account'}</h1>
      {sent ? (
        <div class="card" role="status">
          <p>
            We sent a link to <strong>{sent}</strong>. Open it in this browser to {mode === 'sign-in' ? 'sign in' : 'create your account'}.
          </p>
          <button type="button" class="link" onClick={() => setSent(null)}>
            Use another address
          </button>
        </div>
      ) : (
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            void send.run();
          }}
        >
          <label for="email">Work email</label>
          <input id="email" type="email" autoComplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          {mode === 'sign-up' ? (
            <>
              <label for="organization">Organization (optional)</label>
              <input id="organization" autoComplete="organization" value={organization} onInput={(e) => setOrganization(e.currentTarget.value)} />
            </>
          ) : null}
          <div class="actions">
            <button type="submit" disabled={send.pending}>
              {send.pending ? 'Sending…' : mode === 'sign-in' ? 'Email me a sign-in link' : 'Email me a link to create my account'}
            </button>
          </div>
          <ErrorBox error={send.error} />
          <p>
            {mode === 'sign-in' ? 'New to Leoma? ' : 'Already have an account? '}
            <button type="button" class="link" onClick={() => setMode(mode === 'sign-in' ? 'sign-up' : 'sign-in')}>
              {mode === 'sign-in' ? 'Create an account' : 'Sign in'}
            </button>
          </p>
        </form>
      )}
      <details class="card">
        <summary>Use an API key</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void withKey.run(key.trim());
          }}
        >
          <label for="api-key">API key</label>
          <input id="api-key" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} required placeholder="lk_live_…" />
          <p class="muted">Kept in this tab's memory only: closing the tab signs you out.</p>
          <button type="submit" disabled={withKey.pending}>
            {withKey.pending ? 'Checking…' : 'Sign in with the key'}
          </button>
          <ErrorBox error={withKey.error} />
        </form>
      </details>
    </main>
  );
}
