import { useState } from 'preact/hooks';
import { LeomaProblemError } from '../../../sdk/js/src/problem-error.js';
import type { Auth } from '../api/connection.js';
import { sessions } from '../api/session.js';
import { useAction } from '../api/use-resource.js';
import { ErrorBox } from '../ui/status.js';

/**
 * Sign in or sign up by email: the API mails a one-time link that opens /console/verify in this
 * browser. Operators (staff) sign in the same way, to the back office, as operator sessions. A
 * tenant's API key typed under "Use an API key" stays in this tab's memory only (never in storage
 * or a cookie) and is checked before use; operator keys are for the API and CLI, not the browser.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (auth: Auth) => void }) {
  const [mode, setMode] = useState<'sign-in' | 'sign-up' | 'operator'>('sign-in');
  const [email, setEmail] = useState('');
  const [organization, setOrganization] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const send = useAction(async () => {
    if (mode === 'sign-up') await sessions.signUp(email.trim(), organization.trim());
    else if (mode === 'operator') await sessions.requestOperatorLink(email.trim());
    else await sessions.requestLink(email.trim());
    setSent(email.trim());
  });
  const withKey = useAction(async (candidate: string) => {
    if (candidate.startsWith('lk_op_')) throw new Error('Operator keys are for the API and the CLI. Operators sign in to the back office by email link.');
    const res = await fetch('/v1/me', { headers: { authorization: `Bearer ${candidate}` }, credentials: 'omit' });
    if (!res.ok) throw new LeomaProblemError(await res.json(), res);
    onSignedIn({ kind: 'key', key: candidate });
  });
  return (
    <main id="main" class="sign-in">
      <h1 tabIndex={-1}>{mode === 'sign-in' ? 'Sign in to Leoma' : mode === 'operator' ? 'Sign in to the back office' : 'Create your Leoma account'}</h1>
      {sent ? (
        <div class="card" role="status">
          <p>
            We sent a link to <strong>{sent}</strong>. Open it in this browser to {mode === 'sign-up' ? 'create your account' : 'sign in'}.
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
              {send.pending ? 'Sending…' : mode === 'sign-up' ? 'Email me a link to create my account' : 'Email me a sign-in link'}
            </button>
          </div>
          <ErrorBox error={send.error} />
          <p>
            {mode === 'sign-in' ? 'New to Leoma? ' : mode === 'sign-up' ? 'Already have an account? ' : 'A customer? '}
            <button type="button" class="link" onClick={() => setMode(mode === 'sign-in' ? 'sign-up' : 'sign-in')}>
              {mode === 'sign-in' ? 'Create an account' : 'Sign in'}
            </button>
          </p>
          {mode === 'operator' ? null : (
            <p>
              Leoma staff?{' '}
              <button type="button" class="link" onClick={() => setMode('operator')}>
                Sign in to the back office
              </button>
            </p>
          )}
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
