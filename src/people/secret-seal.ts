import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { authEnv } from '../core/auth/auth.env.js';

let cachedKey: Buffer | undefined;

// Its own HKDF label: independent of the API-key HMAC and of webhook secret encryption, though derived from the same secret.
const key = () => (cachedKey ??= Buffer.from(hkdfSync('sha256', authEnv.get().API_KEY_HASH_SECRET, 'leoma', 'sso-client-secret', 32)));

/** AES-256-GCM for the SSO client secrets we must send back to each provider. */
export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

export function open(sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}
