import type { TestApp } from './test-app.js';

/**
 * A browser as the API sees one: a cookie jar (Set-Cookie in, Cookie out, expiry by Max-Age) and,
 * like the console, the `leoma_csrf` cookie echoed in X-CSRF-Token unless told not to.
 */
export class BrowserSession {
  readonly cookies = new Map<string, string>();

  constructor(readonly app: TestApp) {}

  async request(path: string, init: RequestInit & { json?: unknown; csrf?: boolean; leomaMode?: 'test' } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const csrf = this.cookies.get('leoma_csrf');
    if (csrf && init.csrf !== false) headers.set('x-csrf-token', csrf);
    if (init.leomaMode) headers.set('leoma-mode', init.leomaMode);
    delete init.leomaMode;
    const res = await this.app.request(path, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = decodeURIComponent(pair!.slice(eq + 1).trim());
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) <= Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Another browser with the same session cookies but not the link cookie (a forwarded link, a stolen session). */
  copy(names: string[]): BrowserSession {
    const other = new BrowserSession(this.app);
    for (const n of names) if (this.cookies.has(n)) other.cookies.set(n, this.cookies.get(n)!);
    return other;
  }
}
