import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

export type KeyKind = 'live' | 'test' | 'op';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LEN = 32; // 32 base62 characters ≈ 190 bits
const CHECK_LEN = 6;
const KEY_RE = /^lk_(live|test|op)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** CRC32 checksum lets secret scanners and support recognise a real key offline, like GitHub tokens. */
function checksum(body: string): string {
  return base62(crc32(body), CHECK_LEN);
}

export function generateKey(kind: KeyKind): string {
  let random = '';
  for (let i = 0; i < RANDOM_LEN; i++) random += BASE62[randomInt(62)];
  const body = `lk_${kind}_${random}`;
  return body + checksum(body);
}

export function isWellFormedKey(key: string): boolean {
  const m = KEY_RE.exec(key);
  if (!m) return false;
  const body = key.slice(0, key.length - CHECK_LEN);
  return checksum(body) === m[3];
}

export function keyKind(key: string): KeyKind | undefined {
  return KEY_RE.exec(key)?.[1] as KeyKind | undefined;
}

export function hashKey(key: string, secret: string): string {
  return createHmac('sha256', secret).update(key).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The visible start kept for display: the prefix plus four random characters. */
export function keyStart(key: string): string {
  const kind = keyKind(key) ?? 'live';
  return key.slice(0, `lk_${kind}_`.length + 4);
}
