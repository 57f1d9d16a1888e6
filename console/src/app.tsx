import { useEffect, useMemo, useState } from 'preact/hooks';
import { type Auth, connect, ConnectionContext, SIGNED_OUT_EVENT } from './api/connection.js';
import { type NewKey, type SessionView, sessions } from './api/session.js';
import { SignIn } from './pages/sign-in.js';
import { Verify } from './pages/verify.js';
import { BASE, navigate } from './ui/router.js';
import { Shell } from './ui/shell.js';
import { ErrorBox, Loading } from './ui/status.js';

export interface Who {
  auth: Auth;
  /** Null for an API key. */
  session: SessionView | null;
}

/** Signed out: sign-in (or the emailed link's page). Signed in: the console (a member) or the back office (an operator). */
export function App() {
  const [who, setWho] = useState<Who | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [welcomeKeys, setWelcomeKeys] = useState<NewKey[]>([]);
  const connection = useMemo(() => (who ? connect(who.auth) : null), [who]);
  const link = location.pathname === `${BASE}/accept` ? 'invitation' : location.pathname === `${BASE}/claim` ? 'claim' : 'sign-in';
  const verifying = link !== 'sign-in' || location.pathname === `${BASE}/verify`;

  useEffect(() => {
    if (verifying) return;
    sessions.current().then((session) => setWho(session ? { auth: { kind: 'session', mode: 'live' }, session } : null), setError);
  }, [verifying]);
  useEffect(() => {
    const gone = () => setWho((w) => (w?.auth.kind === 'session' ? null : w));
    addEventListener(SIGNED_OUT_EVENT, gone);
    return () => removeEventListener(SIGNED_OUT_EVENT, gone);
  }, []);

  if (verifying && who === undefined)
    return (
      <Verify
        link={link}
        onSignedIn={(session, keys) => {
          setWelcomeKeys(keys);
          setWho({ auth: { kind: 'session', mode: 'live' }, session });
          navigate(keys.length > 0 ? '/developers' : '/');
        }}
      />
    );
  if (error !== undefined)
    return (
      <main id="main">
        <h1 tabIndex={-1}>Leoma console</h1>
        <ErrorBox error={error} />
      </main>
    );
  if (who === undefined)
    return (
      <main id="main">
        <Loading />
      </main>
    );
  if (!who || !connection) return <SignIn onSignedIn={(auth) => setWho({ auth, session: null })} />;
  return (
    <ConnectionContext.Provider value={connection}>
      <Shell
        who={who}
        welcomeKeys={welcomeKeys}
        onMode={(mode) => setWho({ ...who, auth: { kind: 'session', mode } })}
        onSignOut={async () => {
          if (who.auth.kind === 'session') await sessions.signOut().catch(() => undefined);
          setWelcomeKeys([]);
          setWho(null);
          navigate('/');
        }}
      />
    </ConnectionContext.Provider>
  );
}
