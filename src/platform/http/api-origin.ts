import type { Request } from 'express';
import { appEnv } from '../config/app.env.js';

/**
 * Where clients reach the API, for links they keep (manifests): PUBLIC_BASE_URL when set (behind
 * a proxy the request's own host may be an internal one), else the origin the request came to.
 */
export function apiOrigin(req: Request): string {
  return appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
}
