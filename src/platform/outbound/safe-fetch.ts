import type { LookupAddress } from 'node:dns';
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { DomainError } from '../http/domain-error.js';
import { isPublicAddress } from './public-address.js';

export type LookupFn = (hostname: string) => Promise<LookupAddress[]>;

export interface FetchPublicUrlOptions {
  maxBytes: number;
  /** Budget for the whole fetch: every DNS lookup, connect, redirect and the body. */
  timeoutMs: number;
  /** Redirects followed before giving up; 3 unless set. */
  maxRedirects?: number;
  /**
   * Dev/test switch: allows plain `http:` and any resolved address (localhost, RFC 1918...).
   * Production leaves it off, which means `https:` only and public addresses only; plain HTTP
   * is refused there because the API contract promises https image URLs.
   */
  allowPrivateNetworks?: boolean | 'first-hop';
  /** Accept header; image types unless set. */
  accept?: string;
  /** Resolver for host names; `dns.promises.lookup` with `all: true` unless set. */
  lookup?: LookupFn;
}

export interface FetchedImage {
  body: Buffer;
  /** As sent by the server: informational only, never used to decide what the bytes are. */
  contentType?: string;
  finalUrl: string;
}

/** Where a fetch may go. Only two policies exist in production; see fetchPublicUrl. */
export interface FetchPolicy {
  schemes: readonly string[];
  isAllowedAddress: (ip: string) => boolean;
  /** The policy for every hop after a redirect; this one unless set. */
  afterRedirect?: FetchPolicy;
}

const PUBLIC_ONLY: FetchPolicy = { schemes: ['https:'], isAllowedAddress: isPublicAddress };
const PRIVATE_ALLOWED: FetchPolicy = { schemes: ['https:', 'http:'], isAllowedAddress: () => true };
// Dev/test: an operator-configured URL on loopback plays the Internet, but wherever it redirects must be public.
const CONFIGURED_PRIVATE: FetchPolicy = {
  schemes: ['https:', 'http:'],
  isAllowedAddress: () => true,
  afterRedirect: { schemes: ['https:', 'http:'], isAllowedAddress: isPublicAddress },
};
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const defaultLookup: LookupFn = (hostname) => dns.lookup(hostname, { all: true });

/**
 * Downloads a user-supplied image URL without letting the user aim us at our own network
 * (SSRF): every hop's host is resolved, every resolved address must be public, and the
 * connection is pinned to the address that was checked so DNS cannot change its answer in
 * between (rebinding). Redirects are followed by hand so each target gets the same checks.
 */
export function fetchPublicUrl(url: string, opts: FetchPublicUrlOptions): Promise<FetchedImage> {
  const policy = opts.allowPrivateNetworks === 'first-hop' ? CONFIGURED_PRIVATE : opts.allowPrivateNetworks ? PRIVATE_ALLOWED : PUBLIC_ONLY;
  return fetchWithPolicy(url, opts, policy);
}

/**
 * fetchPublicUrl with an explicit policy. Exported only so tests can let a loopback server
 * play the public Internet (no real public host is reachable from CI); application code must
 * call fetchPublicUrl.
 */
export async function fetchWithPolicy(url: string, opts: FetchPublicUrlOptions, policy: FetchPolicy): Promise<FetchedImage> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DomainError('image_fetch_timeout', 'Fetching the image URL timed out.')), opts.timeoutMs);
  const lookup = opts.lookup ?? defaultLookup;
  const maxRedirects = opts.maxRedirects ?? 3;
  try {
    let hopPolicy = policy;
    let current = parseImageUrl(url, hopPolicy);
    for (let redirects = 0; ; redirects++) {
      const pinned = await resolveAllowed(current.hostname, lookup, hopPolicy, controller.signal);
      const hop = await requestOnce(current, pinned, opts.maxBytes, controller.signal, opts.accept);
      if (hop.kind === 'body') {
        return { body: hop.body, contentType: hop.contentType, finalUrl: current.href };
      }
      if (redirects >= maxRedirects) {
        throw new DomainError('image_fetch_failed', 'The image URL redirected too many times.');
      }
      hopPolicy = policy.afterRedirect ?? policy;
      current = parseImageUrl(hop.location, hopPolicy, current);
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    if (controller.signal.aborted) throw controller.signal.reason;
    throw new DomainError('image_fetch_failed', 'The image URL could not be fetched.');
  } finally {
    clearTimeout(timer);
  }
}

function parseImageUrl(raw: string, policy: FetchPolicy, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new DomainError('image_url_invalid', 'The image URL is not a valid absolute URL.');
  }
  if (!policy.schemes.includes(url.protocol)) {
    const allowed = policy.schemes.map((s) => s.replace(':', '')).join(' or ');
    throw new DomainError('image_url_invalid', `The image URL must use ${allowed}.`);
  }
  if (url.username || url.password) {
    throw new DomainError('image_url_invalid', 'The image URL must not contain credentials.');
  }
  return url;
}

async function resolveAllowed(hostname: string, lookup: LookupFn, policy: FetchPolicy, signal: AbortSignal): Promise<LookupAddress> {
  // URL keeps the brackets around IPv6 literals; literals skip DNS but not the check.
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const family = isIP(host);
  let addresses: LookupAddress[];
  try {
    addresses = family ? [{ address: host, family }] : await untilAborted(lookup(host), signal);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('image_fetch_failed', 'The image URL host could not be resolved.');
  }
  if (addresses.length === 0) {
    throw new DomainError('image_fetch_failed', 'The image URL host could not be resolved.');
  }
  // Every answer must pass, not just the one we would use: otherwise an attacker lists a
  // public and a private address and waits for the private one to be picked.
  if (!addresses.every((a) => policy.isAllowedAddress(a.address))) {
    throw new DomainError('image_url_forbidden', 'The image URL resolves to a non-public address.');
  }
  return addresses[0];
}

// getaddrinfo cannot be cancelled, so the deadline races it instead.
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

type Hop = { kind: 'redirect'; location: string } | { kind: 'body'; body: Buffer; contentType?: string };

function requestOnce(url: URL, pinned: LookupAddress, maxBytes: number, signal: AbortSignal, accept = 'image/png, image/jpeg, image/webp'): Promise<Hop> {
  // Node resolves the host itself when connecting; answering with the checked address keeps
  // the Host header, SNI and certificate check on the hostname while the socket can only go
  // where we looked. (With autoSelectFamily Node asks for `all` addresses.)
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const tooLarge = () => new DomainError('image_too_large', `The image is larger than ${maxBytes} bytes.`);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Hop>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'GET',
        // No pooled sockets: a kept-alive socket was pinned under some earlier call's policy.
        agent: false,
        lookup,
        signal,
        headers: {
          accept,
          // Node does not decompress, and the bytes are inspected and stored as received.
          'accept-encoding': 'identity',
          'user-agent': 'Leoma-API image fetcher',
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECT_STATUSES.has(status) && location) {
          req.destroy();
          resolve({ kind: 'redirect', location });
          return;
        }
        if (status < 200 || status > 299) {
          req.destroy();
          reject(new DomainError('image_fetch_failed', `The image URL responded with HTTP ${status}.`));
          return;
        }
        if (Number(res.headers['content-length']) > maxBytes) {
          req.destroy();
          reject(tooLarge());
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) {
            req.destroy();
            reject(tooLarge());
            return;
          }
          chunks.push(chunk);
        });
        const contentType = res.headers['content-type'];
        res.on('end', () => resolve({ kind: 'body', body: Buffer.concat(chunks, received), contentType }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
