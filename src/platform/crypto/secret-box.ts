import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/**
 * AES-256-GCM for secrets we must be able to read back (webhook signing secrets, SSO client
 * secrets), stored as `v1.<iv>.<tag>.<body>`. Each use derives its own key under its own HKDF
 * label, so one is independent of the others and of the API-key HMAC even when all come from the
 * same secret. The key is derived once, on first use (settings are read by then).
 */
export function secretBox(material: () => string, label: string): SecretBox {
  let cachedKey: Buffer | undefined;
  const key = () => (cachedKey ??= Buffer.from(hkdfSync('sha256', material(), 'leoma', label, 32)));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unreadable sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
