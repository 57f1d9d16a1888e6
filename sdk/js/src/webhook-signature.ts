import type { components } from './schema.js';

export type WebhookEvent = components['schemas']['Event'];

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/**
 * Checks a delivery the Standard Webhooks way and returns its event: `webhook-signature` must
 * hold a `v1,` HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>` under the endpoint's
 * `whsec_` secret (during a rotation two are sent; either will do), and the timestamp must be
 * within `toleranceSeconds` of now. Pass the raw body exactly as received, not re-serialised JSON.
 * Web Crypto only (crypto.subtle), so it runs in Node, browsers, workers and edge runtimes alike;
 * crypto.subtle.verify compares in constant time.
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): Promise<WebhookEvent> {
  const header = (name: string): string => {
    const value = headers instanceof Headers ? headers.get(name) : (headers[name] ?? headers[name.toLowerCase()]);
    const text = Array.isArray(value) ? value[0] : value;
    if (!text) throw new WebhookVerificationError(`missing ${name} header`);
    return text;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  const seconds = Number(timestamp);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (!Number.isInteger(seconds) || Math.abs(now - seconds) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError('webhook-timestamp is missing or too far from now');
  }
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  const key = await crypto.subtle.importKey('raw', fromBase64(secret.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) continue;
    let given: Uint8Array<ArrayBuffer>;
    try {
      given = fromBase64(signature);
    } catch {
      continue;
    }
    if (await crypto.subtle.verify('HMAC', key, given, signed)) return JSON.parse(body) as WebhookEvent;
  }
  throw new WebhookVerificationError('no webhook-signature matches the secret');
}

/** Base64 to bytes with atob (everywhere), not Buffer (Node only). */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
