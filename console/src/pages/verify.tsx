import { useEffect, useState } from 'preact/hooks';
import { type NewKey, type SessionView, sessions } from '../api/session.js';
import { Link } from '../ui/router.js';
import { ErrorBox, Loading } from '../ui/status.js';

/** The page an emailed link (sign-in, sign-up, an invitation or an enterprise claim link) opens: it hands the link's token to the API, which sets the session cookies. */
export function Verify({ link, onSignedIn }: { link: 'sign-in' | 'invitation' | 'claim'; onSignedIn: (session: SessionView, keys: NewKey[]) => void }) {
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    (link === 'invitation' ? sessions.accept(token) : link === 'claim' ? sessions.claim(token) : sessions.verify(token)).then(
      (signedIn) => onSignedIn(signedIn, signedIn.api_keys ?? []),
      setError,
    );
    // biome-ignore lint/correctness/useExhaustiveDependencies: a link's token works once: it is sent once, whatever re-renders
  }, []);
  return (
    <main id="main" class="sign-in">
      <h1 tabIndex={-1}>Signing you in</h1>
      {error === undefined ? (
        <Loading label="Checking your link…" />
      ) : (
        <>
          <ErrorBox error={error} />
          <p>
            <Link to="/">Ask for a new link</Link>
          </p>
        </>
      )}
    </main>
  );
}
