import { createHmac, timingSafeEqual } from 'node:crypto';
import { authEnv } from '../core/auth/auth.env.js';
import { DomainError } from '../platform/http/domain-error.js';

/** What a share link opens: one video's content, of one tenant and mode, until it expires. */
export interface SharedVideo {
  tenantId: string;
  videoId: string;
  livemode: boolean;
  expiresAt: Date;
}

/**
 * The link's key, derived from the key-hashing secret for this one purpose (a share link's HMAC
 * can then never be confused with a key hash, and there is no new secret to provision).
 */
function linkKey(): Buffer {
  return createHmac('sha256', authEnv.get().API_KEY_HASH_SECRET).update('leoma share links v1').digest();
}

const sign = (payload: string) => createHmac('sha256', linkKey()).update(payload).digest('base64url');

/** `<payload>.<signature>`: the payload names the tenant, the mode and the video, so the lookup stays tenant-scoped without a key. */
export function shareToken(v: SharedVideo): string {
  const payload = Buffer.from(`${v.tenantId}.${v.livemode ? 'l' : 't'}.${v.videoId}.${Math.floor(v.expiresAt.getTime() / 1000)}`).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

export function openShareToken(token: string, now = Date.now()): SharedVideo {
  const [payload, signature, extra] = token.split('.');
  const invalid = new DomainError('share_link_invalid', 'This share link is not valid.');
  if (!payload || !signature || extra !== undefined) throw invalid;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
  const [tenantId, mode, videoId, expires] = Buffer.from(payload, 'base64url').toString().split('.');
  if (!tenantId || !videoId || !expires || (mode !== 'l' && mode !== 't')) throw invalid;
  const expiresAt = new Date(Number(expires) * 1000);
  if (expiresAt.getTime() <= now)
    throw new DomainError('share_link_expired', `This share link expired at ${expiresAt.toISOString()}; ask its owner for a new one.`);
  return { tenantId, videoId, livemode: mode === 'l', expiresAt };
}
