import { Tenants } from './tenants.js';
import { Finance } from './finance.js';
import { Revenue } from './revenue.js';
import { Reconciliation } from './reconciliation.js';
import { Support } from './support.js';
import { Admin } from './admin.js';

/** The operators' pages; each calls the admin API, which answers 403 `insufficient_role` outside the caller's role. */
export function BackOffice({ path, role }: { path: string; role: string | null }) {
  if (path === '/back-office/finance') return <Finance />;
  if (path === '/back-office/revenue') return <Revenue />;
  if (path === '/back-office/reconciliation') return <Reconciliation />;
  if (path === '/back-office/support') return <Support />;
  if (path === '/back-office/admin') return <Admin />;
  return <Tenants role={role} />;
}
