import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Express, Request, Response } from 'express';
import { GUIDE_CSP, GUIDES_CSS, REFERENCE_CSP, guideIndexPage, guidePage, referencePage } from './docs-pages.js';
import { loadGuides } from './guides.js';

const HARDENING = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' } as const;

/**
 * Redoc's standalone browser bundle, served from this origin (never a CDN): the copy the build
 * puts beside the server (dist/docs-site, for images without dev dependencies), else the one
 * Redocly CLI (a dev dependency) ships.
 */
export function redocBundlePath(): string | undefined {
  const candidates = [resolve('dist/docs-site/redoc.standalone.js')];
  try {
    const cli = dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json'));
    candidates.push(join(cli, 'lib/chunks/redoc.standalone.js'));
  } catch {
    // Not installed (a production image): the built copy is the only one.
  }
  return candidates.find((p) => existsSync(p));
}

/**
 * `/docs`: the API reference (Redoc over /openapi.json, the public spec), the guides
 * (docs/guides/*.md at /docs/guides/<name>) and their assets, each page under a strict
 * Content-Security-Policy. Swagger UI's "Try it out" lives at /docs/try (mounted by the caller).
 * Outside Nest's router like /errors: no key needed, nothing in the OpenAPI document.
 */
export function serveDocs(express: Express, guidesDir = 'docs/guides'): void {
  const guides = loadGuides(resolve(guidesDir));
  const bySlug = new Map(guides.map((g) => [g.slug, guidePage(g, guides)]));
  const bundle = redocBundlePath();
  const html = (res: Response, csp: string, body: string) =>
    res
      .status(200)
      .set({ ...HARDENING, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Security-Policy': csp })
      .send(body);

  express.get(['/docs', '/docs/'], (_req: Request, res: Response) => html(res, REFERENCE_CSP, referencePage()));
  express.get('/docs/assets/redoc.standalone.js', (_req: Request, res: Response) => {
    if (!bundle) return void res.status(404).type('text/plain').send('The reference bundle is not installed.');
    res
      .set({ ...HARDENING, 'Cache-Control': 'public, max-age=3600' })
      .type('text/javascript')
      .sendFile(bundle);
  });
  express.get('/docs/assets/guides.css', (_req: Request, res: Response) => {
    res
      .set({ ...HARDENING, 'Cache-Control': 'public, max-age=3600' })
      .type('text/css')
      .send(GUIDES_CSS);
  });
  express.get('/docs/guides', (_req: Request, res: Response) => html(res, GUIDE_CSP, guideIndexPage(guides)));
  express.get('/docs/guides/:slug', (req: Request, res: Response) => {
    const page = bySlug.get(String(req.params.slug));
    if (!page) return void res.status(404).set(HARDENING).type('text/plain').send('No such guide.');
    html(res, GUIDE_CSP, page);
  });
}
