import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../platform/http/domain-error.js';
import { backendNetwork } from './gpu/http.js';
import { BackendAddressRefused, checkAddresses, checkUrlHost } from './gpu/backend-network.js';

/**
 * An operator registering a backend hears at once when its URL points where backends may not be
 * (422 backend_url_forbidden). A name that does not resolve yet is accepted: a cluster service
 * may be registered before it exists, and every connection checks again anyway.
 */
export async function assertBackendUrlAllowed(raw: string): Promise<void> {
  const url = new URL(raw);
  const { policy } = backendNetwork();
  try {
    checkUrlHost(url, policy);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    if (isIP(host)) return;
    const addresses = await dns.lookup(host, { all: true }).catch(() => []);
    checkAddresses(host, addresses, policy);
  } catch (e) {
    if (!(e instanceof BackendAddressRefused)) throw e;
    throw new DomainError('backend_url_forbidden', `The backend URL ${e.message}.`, {
      errors: [{ param: 'url', code: 'backend_url_forbidden', message: 'resolves outside the networks GPU backends may be in' }],
    });
  }
}
