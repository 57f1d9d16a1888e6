import type { LookupAddress } from 'node:dns';
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from '../platform/outbound/public-address.js';
import { DomainError } from '../platform/http/domain-error.js';
import { webhooksEnv } from './webhooks.env.js';

/** Why a webhook target may not be called; the same rules at registration and before every delivery. */
export class WebhookUrlError extends Error {
  constructor(
    readonly code: 'webhook_url_invalid' | 'webhook_url_forbidden' | 'webhook_url_unresolvable',
    message: string,
  ) {
    super(message);
  }
}

/** https only (plain http too with WEBHOOK_ALLOW_PRIVATE_URLS), no credentials, a sane length. */
export function parseWebhookUrl(raw: string): URL {
  const allowPrivate = webhooksEnv.get().WEBHOOK_ALLOW_PRIVATE_URLS;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('webhook_url_invalid', 'The webhook URL is not a valid absolute URL.');
  }
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol))
    throw new WebhookUrlError('webhook_url_invalid', `The webhook URL must use ${allowPrivate ? 'https or http' : 'https'}.`);
  if (url.username || url.password) throw new WebhookUrlError('webhook_url_invalid', 'The webhook URL must not contain credentials.');
  if (raw.length > 2048) throw new WebhookUrlError('webhook_url_invalid', 'The webhook URL is longer than 2048 characters.');
  return url;
}

/**
 * Resolves the host and requires every answer to be public (the image-URL guard), unless the
 * dev/test setting allows private networks. The caller connects to the returned address only,
 * so DNS cannot point us elsewhere between this check and the request (rebinding).
 */
export async function resolveWebhookHost(url: URL): Promise<LookupAddress> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const family = isIP(host);
  let addresses: LookupAddress[];
  try {
    addresses = family ? [{ address: host, family }] : await dns.lookup(host, { all: true });
  } catch {
    addresses = [];
  }
  if (!addresses.length) throw new WebhookUrlError('webhook_url_unresolvable', `The webhook host '${host}' could not be resolved.`);
  if (!webhooksEnv.get().WEBHOOK_ALLOW_PRIVATE_URLS && !addresses.every((a) => isPublicAddress(a.address))) {
    throw new WebhookUrlError('webhook_url_forbidden', 'The webhook URL resolves to a non-public address.');
  }
  return addresses[0];
}

/**
 * Registration-time check for the API: a malformed or private URL is a 422 at once. A host that
 * does not resolve yet is accepted (DNS may come later); every delivery checks again anyway.
 */
export async function assertWebhookUrl(raw: string, param: string): Promise<string> {
  try {
    await resolveWebhookHost(parseWebhookUrl(raw));
  } catch (e) {
    if (!(e instanceof WebhookUrlError)) throw e;
    if (e.code !== 'webhook_url_unresolvable') {
      throw new DomainError(e.code, e.message, { errors: [{ param, code: e.code, message: e.message }] });
    }
  }
  return raw;
}
