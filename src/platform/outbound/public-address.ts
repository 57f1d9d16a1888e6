import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// IANA has only ever allocated global unicast IPv6 inside 2000::/3. ipaddr.js calls anything it
// has no special range for "unicast", which includes IPv4-compatible addresses such as
// ::7f00:1 (= ::127.0.0.1, which some stacks still route to IPv4 loopback).
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parse('2000::');

/**
 * True only for addresses on the public Internet. Everything else is refused: loopback,
 * RFC 1918, link-local (including the cloud metadata address 169.254.169.254), CGNAT,
 * unique-local, multicast, broadcast, reserved/documentation ranges, unspecified, and IPv6
 * forms that wrap IPv4 (IPv4-mapped addresses are unwrapped and judged as IPv4; 6to4,
 * Teredo, NAT64 and IPv4-translated addresses are refused outright rather than decoded,
 * because the wrapped address is not the only thing that decides where the packet ends up).
 *
 * Input must be a plain address as `net.isIP` understands it; shorthand IPv4 such as
 * "127.1" or "0x7f000001" is refused because resolvers and connect() disagree about it.
 */
export function isPublicAddress(ip: string): boolean {
  const addr = parsePlainAddress(ip);
  if (addr?.range() !== 'unicast') return false;
  return addr.kind() === 'ipv4' || addr.match(GLOBAL_UNICAST_V6, 3);
}

/**
 * A plain IPv4 or IPv6 address as `net.isIP` understands it, IPv4-mapped IPv6 unwrapped to the
 * IPv4 it carries; null for anything else (shorthand such as "127.1" included).
 */
export function parsePlainAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (isIP(ip) === 0) return null;
  try {
    return ipaddr.process(ip);
  } catch {
    return null;
  }
}
