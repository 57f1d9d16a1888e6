import { createHash } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Map([...ALPHABET].map((c, i) => [c, BigInt(i)]));
const CHECKSUM_PREFIX = Buffer.from('SS58PRE');

function base58Decode(text: string): Buffer | null {
  let n = 0n;
  for (const c of text) {
    const d = DIGIT.get(c);
    if (d === undefined) return null;
    n = n * 58n + d;
  }
  const hex = n === 0n ? '' : n.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const zeros = text.length - text.replace(/^1+/, '').length;
  return Buffer.concat([Buffer.alloc(zeros), body]);
}

/**
 * The 32-byte account id an SS58 address encodes (any network prefix, one or two bytes), or
 * null when it is not one or its checksum (the first two bytes of blake2b-512 over
 * "SS58PRE" + prefix + id) is wrong. Written here rather than taken from @polkadot/util-crypto,
 * whose import alone costs a process ~150 MB: the API checks hotkeys without ever talking to the chain.
 */
export function ss58AccountId(address: string): Buffer | null {
  const data = base58Decode(address);
  if (!data || data.length < 3) return null;
  const prefixLength = data[0]! < 64 ? 1 : data[0]! < 128 ? 2 : 0;
  if (prefixLength === 0 || data.length !== prefixLength + 32 + 2) return null;
  const checksum = createHash('blake2b512').update(CHECKSUM_PREFIX).update(data.subarray(0, -2)).digest();
  if (checksum[0] !== data[data.length - 2] || checksum[1] !== data[data.length - 1]) return null;
  return data.subarray(prefixLength, prefixLength + 32);
}
