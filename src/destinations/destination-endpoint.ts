import type { LookupAddress } from 'node:dns';
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../platform/http/domain-error.js';
import { isPublicAddress } from '../platform/outbound/public-address.js';
import { destinationsEnv } from './destinations.env.js';

const invalid = (message: string) =>
  new DomainError('destination_endpoint_invalid', message, { errors: [{ param: 'endpoint', code: 'destination_endpoint_invalid', message }] });

/**
 * A store's endpoint as we accept it: https (plain http only for a host the operator allowlisted),
 * no credentials, path, query or fragment. Returned normalised to its origin.
 */
export function parseDestinationEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('The endpoint is not a valid absolute URL.');
  }
  const allowlisted = isAllowlisted(url.hostname);
  if (url.protocol !== 'https:' && !(allowlisted && url.protocol === 'http:')) throw invalid('The endpoint must use https.');
  if (url.username || url.password) throw invalid('The endpoint must not contain credentials; send access_key_id and secret_access_key.');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    throw invalid('The endpoint must be a bare origin (no path, query or fragment); the bucket goes in `bucket`.');
  return url;
}

/**
 * The SSRF rule for user-given URLs, applied to a store's host at registration and before every
 * delivery: every address it resolves to must be public, unless the operator allowlisted the host.
 * A host that does not resolve is unreachable, not forbidden.
 */
export async function assertEndpointHost(url: URL): Promise<void> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isAllowlisted(host)) return;
  const family = isIP(host);
  let addresses: LookupAddress[];
  try {
    addresses = family ? [{ address: host, family }] : await dns.lookup(host, { all: true });
  } catch {
    addresses = [];
  }
  if (!addresses.length) throw new DomainError('destination_unreachable', `The destination host '${host}' could not be resolved.`);
  if (!addresses.every((a) => isPublicAddress(a.address))) {
    const message = 'The endpoint resolves to a non-public address.';
    throw new DomainError('destination_endpoint_forbidden', message, { errors: [{ param: 'endpoint', code: 'destination_endpoint_forbidden', message }] });
  }
}

function isAllowlisted(hostname: string): boolean {
  const host = (hostname.startsWith('[') ? hostname.slice(1, -1) : hostname).toLowerCase();
  return destinationsEnv.get().DESTINATION_ENDPOINT_ALLOWLIST.includes(host);
}
