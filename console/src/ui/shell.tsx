import { useConnection } from '../api/connection.js';
import { Link, usePath } from './router.js';
import { Playground } from '../pages/playground.js';
import { Videos } from '../pages/videos.js';
import { VideoDetail } from '../pages/video-detail.js';
import { Batches } from '../pages/batches.js';
import { Usage } from '../pages/usage.js';
import { Billing } from '../pages/billing.js';
import { Developers } from '../pages/developers.js';
import { BackOffice } from '../backoffice/back-office.js';

const CUSTOMER_PAGES = [
  { to: '/', label: 'Playground' },
  { to: '/videos', label: 'Videos' },
  { to: '/batches', label: 'Batches' },
  { to: '/usage', label: 'Usage' },
  { to: '/billing', label: 'Billing' },
  { to: '/developers', label: 'Developers' },
];

const OPERATOR_PAGES = [
  { to: '/back-office', label: 'Tenants' },
  { to: '/back-office/finance', label: 'Finance' },
  { to: '/back-office/support', label: 'Support' },
  { to: '/back-office/admin', label: 'Admin' },
];

function page(path: string, operator: boolean) {
  if (operator) return <BackOffice path={path} />;
  if (path === '/') return <Playground />;
  if (path === '/videos') return <Videos />;
  if (path.startsWith('/videos/')) return <VideoDetail id={decodeURIComponent(path.slice('/videos/'.length))} />;
  if (path === '/batches') return <Batches />;
  if (path === '/usage') return <Usage />;
  if (path === '/billing') return <Billing />;
  if (path === '/developers') return <Developers />;
  return (
    <>
      <h1 tabIndex={-1}>Not found</h1>
      <p>
        There is no console page here. <Link to="/">Go to the playground</Link>.
      </p>
    </>
  );
}

export function Shell({ onSignOut }: { onSignOut: () => void }) {
  const path = usePath();
  const { auth } = useConnection();
  const operator = auth.kind === 'key' && auth.key.startsWith('lk_op_');
  const pages = operator ? OPERATOR_PAGES : CUSTOMER_PAGES;
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
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main">{page(path, operator)}</main>
    </>
  );
}
