import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { consoleEnv } from './console.env.js';
import { consoleContentSecurityPolicy } from './content-security-policy.js';

/** Headers every console response carries; the page itself adds its Content-Security-Policy. */
const HARDENING = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
} as const;

/**
 * Serves the built console at /console: hashed assets cached for a year, and index.html (never
 * cached, strict CSP) for every other path below it, so a reload on /console/videos/vid_… works.
 * Outside Nest's router like /docs: no guards (the page holds no data; the API calls it makes are
 * authenticated as any client's are) and nothing in the OpenAPI document.
 * Returns false when there is no build (the API then runs without a console).
 */
export function serveConsole(app: Express): boolean {
  const dir = resolve(consoleEnv.get().CONSOLE_DIR);
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  const policy = consoleContentSecurityPolicy();
  app.use(
    '/console/assets',
    express.static(join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
      setHeaders: (res) => res.set(HARDENING),
    }),
  );
  app.get(['/console', '/console/{*rest}'], (_req: Request, res: Response) => {
    res
      .status(200)
      .set({
        ...HARDENING,
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': policy,
        'X-Frame-Options': 'DENY',
      })
      .send(index);
  });
  return true;
}
