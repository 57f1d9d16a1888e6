import type { LookupAddress } from 'node:dns';
import dns from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { isPublicAddress, parsePlainAddress } from '../../platform/outbound/public-address.js';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Never a backend, whatever the configured networks say: link-local (the cloud metadata
 * services at 169.254.169.254 and fd00:ec2::254 hand out the node's credentials), unspecified,
 * multicast and broadcast. A GPU server has no business at any of them, and a backend URL or an
 * output URL pointing there is someone aiming our workers at the host.
 */
const NEVER: Cidr[] = [
  '169.254.0.0/16',
  'fe80::/10',
  '0.0.0.0/8',
  '::/128',
  'fd00:ec2::254/128',
  '100.100.100.200/32',
  '224.0.0.0/4',
  'ff00::/8',
  '255.255.255.255/32',
].map((c) => ipaddr.parseCIDR(c));
const LOOPBACK: Cidr[] = ['127.0.0.0/8', '::1/128'].map((c) => ipaddr.parseCIDR(c));

/** Parses a comma-separated CIDR list; throws on the first that is not one. */
export function parseNetworks(list: string): Cidr[] {
  return list
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => ipaddr.parseCIDR(c));
}

const within = (addr: ipaddr.IPv4 | ipaddr.IPv6, nets: Cidr[]) => nets.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));

/**
 * Where GPU backends (and the output URLs they answer with) may be: public addresses, the
 * operator's own networks (`networks`), and loopback outside production (the reference backend
 * runs beside the worker there). IPv4-mapped IPv6 is judged as the IPv4 it wraps.
 */
export function isBackendAddressAllowed(ip: string, networks: Cidr[], allowLoopback: boolean): boolean {
  const addr = parsePlainAddress(ip);
  if (!addr || within(addr, NEVER)) return false;
  if (allowLoopback && within(addr, LOOPBACK)) return true;
  return isPublicAddress(addr.toString()) || within(addr, networks);
}

export class BackendAddressRefused extends Error {
  readonly code = 'EBACKENDADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, outside the networks GPU backends may be in (GPU_BACKEND_NETWORKS)`);
  }
}

export interface BackendNetworkPolicy {
  networks: Cidr[];
  allowLoopback: boolean;
}

/** Every address a host resolves to must be allowed, not just the first: DNS may answer with both. */
export function checkAddresses(host: string, addresses: LookupAddress[], policy: BackendNetworkPolicy): void {
  const refused = addresses.find((a) => !isBackendAddressAllowed(a.address, policy.networks, policy.allowLoopback));
  if (refused) throw new BackendAddressRefused(host, refused.address);
}

/** A literal IP in a URL never goes through DNS, so it is judged here. */
export function checkUrlHost(url: URL, policy: BackendNetworkPolicy): void {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const family = isIP(host);
  if (family) checkAddresses(host, [{ address: host, family }], policy);
}

/**
 * A `net.connect` lookup that resolves and checks in one step, so the connection goes to the
 * address that was checked (a DNS answer that changes between a check and the connect cannot
 * slip a forbidden address in).
 */
export function guardedLookup(policy: BackendNetworkPolicy) {
  return (
    hostname: string,
    options: dns.LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      try {
        checkAddresses(hostname, addresses, policy);
      } catch (e) {
        return callback(e as NodeJS.ErrnoException, '');
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      callback(null, first!.address, first!.family);
    });
  };
}
