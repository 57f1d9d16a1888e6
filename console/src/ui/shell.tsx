import type { NewKey } from '../api/session.js';
import type { Who } from '../app.js';
import { Link, usePath } from './router.js';
import { Playground } from '../pages/playground.js';
import { Videos } from '../pages/videos.js';
import { VideoDetail } from '../pages/video-detail.js';
import { Batches } from '../pages/batches.js';
import { Usage } from '../pages/usage.js';
import { Billing } from '../pages/billing.js';
import { Developers } from '../pages/developers.js';
import { BackOffice } from '../backoffice/back-office.js';
import { Team } from '../pages/team.js';

const CUSTOMER_PAGES = [
  { to: '/', label: 'Playground' },
  { to: '/videos', label: 'Videos' },
  { to: '/batches', label: 'Batches' },
  { to: '/usage', label: 'Usage' },
  { to: '/billing', label: 'Billing' },
  { to: '/developers', label: 'Developers' },
  { to: '/team', label: 'Team' },
];

/** The back office's pages and the operator roles that work in each (admins see all; the API refuses by role all the same). */
const OPERATOR_PAGES = [
  { to: '/back-office', label: 'Tenants', roles: ['sales', 'finance', 'support'] },
  { to: '/back-office/finance', label: 'Treasury', roles: ['finance'] },
  { to: '/back-office/revenue', label: 'Revenue', roles: ['finance'] },
  { to: '/back-office/reconciliation', label: 'Reconciliation', roles: ['finance'] },
  { to: '/back-office/support', label: 'Support', roles: ['support'] },
  { to: '/back-office/admin', label: 'Admin', roles: [] as string[] },
];

/** The pages of the operator session's role. */
function operatorPages(role: string | null | undefined) {
  return OPERATOR_PAGES.filter((p) => role === 'admin' || (role && p.roles.includes(role)));
}

function page(path: string, operator: boolean, role: string | null | undefined) {
  if (operator) return <BackOffice path={path} role={role ?? null} />;
  if (path === '/') return <Playground />;
  if (path === '/videos') return <Videos />;
  if (path.startsWith('/videos/')) return <VideoDetail id={decodeURIComponent(path.slice('/videos/'.length))} />;
  if (path === '/batches') return <Batches />;
  if (path === '/usage') return <Usage />;
  if (path === '/billing') return <Billing />;
  if (path === '/developers') return <Developers />;
  if (path === '/team') return <Team />;
  return (
    <>
      <h1 tabIndex={-1}>Not found</h1>
      <p>
        There is no console page here. <Link to="/">Go to the playground</Link>.
      </p>
    </>
  );
}

/** A sign-up's first keys, shown once on the first page after the link was opened. */
function WelcomeKeys({ keys }: { keys: NewKey[] }) {
  if (keys.length === 0) return null;
  return (
    <section class="secret" aria-labelledby="welcome-heading">
      <h2 id="welcome-heading">Welcome — your API keys</h2>
      <p>Copy them now: they are shown only once. You can make more under Developers.</p>
      {keys.map((k) => (
        <div key={k.id}>
          <label for={`welcome-${k.id}`}>{k.mode} key</label>
          <input id={`welcome-${k.id}`} readOnly value={k.secret} data-testid={`welcome-key-${k.mode}`} />
        </div>
      ))}
    </section>
  );
}

export function Shell({
  who,
  welcomeKeys,
  onMode,
  onSignOut,
}: {
  who: Who;
  welcomeKeys: NewKey[];
  onMode: (mode: 'live' | 'test') => void;
  onSignOut: () => void;
}) {
  const testMode = who.auth.kind === 'session' && who.auth.mode === 'test';
  const path = usePath();
  // Operators sign in as operator sessions only (the sign-in page refuses operator keys).
  const operator = who.session !== null && who.session.operator_id !== null;
  const pages = operator ? operatorPages(who.session?.role) : CUSTOMER_PAGES;
  const section = (to: string) => (to === '/' || to === '/back-office' ? path === to : path === to || path.startsWith(`${to}/`));
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Leoma {operator ? 'back office' : 'console'}</span>
        <nav aria-label="Main">
          <ul>
            {pages.map((p) => (
              <li key={p.to}>
                <Link to={p.to} current={section(p.to)}>
                  {p.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {who.session && !operator ? (
          <span class="check">
            <input id="test-mode" type="checkbox" checked={testMode} onChange={(e) => onMode(e.currentTarget.checked ? 'test' : 'live')} />
            <label for="test-mode">Test mode</label>
          </span>
        ) : null}
        {who.session ? <span class="muted">{who.session.email}</span> : null}
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {testMode ? (
        <p class="test-banner" role="status">
          Test mode: the sandbox. Nothing here is charged, and live videos and keys are not shown.
        </p>
      ) : null}
      {/* Drawn anew on a mode change: every page reloads what it shows from the other side. */}
      <main id="main" key={testMode ? 'test' : 'live'}>
        <WelcomeKeys keys={welcomeKeys} />
        {page(path, operator, who.session?.role)}
      </main>
    </>
  );
}
