import type { Guide } from './guides.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The guides' policy: our stylesheet, nothing else; no script at all. */
export const GUIDE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The reference's policy: Redoc's bundle from this origin only and the spec from this origin.
 * Styles allow 'unsafe-inline' because Redoc (styled-components) writes its CSS into <style>
 * elements at run time; scripts stay 'self' only, and nothing is loaded from a CDN.
 * `worker-src blob:` is Redoc's search index worker.
 */
export const REFERENCE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const nav = (guides: Guide[]) =>
  `<nav><a href="/docs">API reference</a> · <a href="/docs/guides">Guides</a>: ${guides
    .map((g) => `<a href="/docs/guides/${g.slug}">${escapeHtml(g.title)}</a>`)
    .join(' · ')} · <a href="/errors">Error codes</a> · <a href="/docs/try">Try it</a></nav>`;

const shell = (title: string, body: string) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  `<title>${escapeHtml(title)} · Leoma API</title><link rel="stylesheet" href="/docs/assets/guides.css"></head><body>${body}</body></html>`;

export const guidePage = (guide: Guide, guides: Guide[]) => shell(guide.title, `${nav(guides)}<main>${guide.html}</main>`);

export const guideIndexPage = (guides: Guide[]) =>
  shell(
    'Guides',
    `${nav(guides)}<main><h1>Guides</h1><ul>${guides.map((g) => `<li><a href="/docs/guides/${g.slug}">${escapeHtml(g.title)}</a></li>`).join('')}</ul>` +
      '<p>Every operation, parameter and field: the <a href="/docs">API reference</a>. Every error code: <a href="/errors">error codes</a>.</p></main>',
  );

/**
 * Redoc renders the public spec into <redoc spec-url> when its bundle loads (no inline script);
 * its attributes are its options. Its attribution logo points at Redocly's CDN: the policy blocks
 * it, and Redoc hides a logo that fails to load.
 */
export const referencePage = () =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<title>API reference · Leoma API</title><link rel="stylesheet" href="/docs/assets/guides.css"></head><body class="reference">' +
  '<nav><a href="/docs">API reference</a> · <a href="/docs/guides">Guides</a> · <a href="/errors">Error codes</a> · <a href="/docs/try">Try it</a> · <a href="/openapi.json">openapi.json</a></nav>' +
  '<redoc spec-url="/openapi.json" disable-telemetry="true"></redoc><script type="module" src="/docs/assets/redoc.standalone.js"></script></body></html>';

export const GUIDES_CSS =
  'body{font:16px/1.55 system-ui,sans-serif;color:#1b1f24;margin:0}nav{padding:.6rem 1rem;border-bottom:1px solid #ddd;font-size:.9rem}' +
  'main{max-width:46rem;margin:1.5rem auto;padding:0 1rem}code{background:#f0f2f4;padding:0 .25em;border-radius:3px}' +
  'pre{background:#f6f8fa;padding:.75rem;overflow-x:auto;border-radius:4px}pre code{background:none;padding:0}' +
  'table{border-collapse:collapse}td,th{padding:.25rem .5rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}';
