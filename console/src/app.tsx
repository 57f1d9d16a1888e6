import { useMemo, useState } from 'preact/hooks';
import { type Auth, connect, ConnectionContext } from './api/connection.js';
import { SignIn } from './pages/sign-in.js';
import { Shell } from './ui/shell.js';

/** Signed out: the sign-in page. Signed in: the console (a tenant) or the back office (an operator). */
export function App() {
  const [auth, setAuth] = useState<Auth | null>(null);
  const connection = useMemo(() => (auth ? connect(auth) : null), [auth]);
  if (!connection) return <SignIn onSignedIn={setAuth} />;
  return (
    <ConnectionContext.Provider value={connection}>
      <Shell onSignOut={() => setAuth(null)} />
    </ConnectionContext.Provider>
  );
}
