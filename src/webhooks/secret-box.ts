import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { authEnv } from '../core/auth/auth.env.js';
import { webhooksEnv } from './webhooks.env.js';

const VERSION = 'v1';
let cachedKey: Buffer | undefined;

function key(): Buffer {
  const material = webhooksEnv.get().WEBHOOK_SECRET_KEY ?? authEnv.get().API_KEY_HASH_SECRET;
  // A separate HKDF label keeps this key independent of the API-key HMAC even when derived from its secret.
  return (cachedKey ??= Buffer.from(hkdfSync('sha256', material, 'leoma', 'webhook-secret-encryption', 32)));
}

/** AES-256-GCM for secrets we must be able to read back (webhook signing secrets). */
export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

export function open(sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unreadable sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}
