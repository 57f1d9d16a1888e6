import { createHmac, randomBytes } from 'node:crypto';

/** A Standard Webhooks secret: `whsec_` + base64 of 24 random bytes (192 bits). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * Standard Webhooks 1.0: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, keyed with the
 * secret's decoded bytes; several secrets give several space-separated signatures (rotation).
 * Written with node:crypto rather than the `standardwebhooks` package so the tests, which verify
 * with that package, check us against an independent implementation.
 */
export function signatureHeader(secrets: string[], msgId: string, timestamp: number, body: string): string {
  return secrets
    .map((secret) => {
      const keyBytes = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const mac = createHmac('sha256', keyBytes).update(`${msgId}.${timestamp}.${body}`).digest('base64');
      return `v1,${mac}`;
    })
    .join(' ');
}
