import { z } from 'zod';
import { defineEnv, int } from '../config/define-env.js';

/** `scheme://host[:port]` exactly as a browser sends it in `Origin`: no path, no trailing slash. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/** CORS_ALLOWED_ORIGINS as a list. */
export const originList = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const corsEnv = defineEnv('cors', {
  /**
   * Web origins whose browser code may call /v1 (comma-separated, e.g. `https://app.example.com,https://admin.example.com`),
   * or `*` for any. Unset: no CORS headers, so browsers on other origins cannot read answers. Cookies are
   * never allowed cross-origin (keys travel in `Authorization`), so `*` cannot expose a session.
   */
  CORS_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .refine((raw) => !originList(raw).includes('*') || originList(raw).length === 1, 'either `*` alone or a list of origins')
    .refine((raw) => originList(raw).every((o) => o === '*' || ORIGIN.test(o)), 'each origin is scheme://host[:port], lowercase, without a path'),
  /** How long a browser may cache a preflight answer (Access-Control-Max-Age). */
  CORS_MAX_AGE_SECONDS: int(600, 0, 86_400),
});
