import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: every link, cookie and CSRF token we hand out. */
export const newToken = () => randomBytes(32).toString('base64url');

/** Tokens are random, so an unkeyed SHA-256 is enough to keep them unusable if the table leaks. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function sameToken(token: string, hash: string): boolean {
  const a = Buffer.from(tokenHash(token), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
