import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * Random bytes drawn from the CSPRNG 4 KiB at a time. ulid's default source asks crypto for one
 * byte per character (16 calls per id); every request makes at least one id (its Request-Id), and
 * those calls were a tenth of the liveness probe's CPU time.
 */
const pool = Buffer.alloc(4096);
let next = pool.length;
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  // 256 is a multiple of ulid's 32 symbols, so byte / 256 picks each symbol equally often.
  return pool[next++]! / 256;
}

/** Monotonic within a process, so two ids made in the same millisecond still sort in creation order. */
const ulid = monotonicFactory(pooledRandom);

export const ID_PREFIXES = {
  video: 'vid',
  videoGroup: 'vgr',
  batch: 'bat',
  file: 'file',
  tenant: 'ten',
  apiKey: 'key',
  webhookEndpoint: 'whe',
  event: 'evt',
  webhookDelivery: 'dlv',
  destination: 'dst',
  burn: 'brn',
  allocation: 'alc',
  funding: 'fnd',
  request: 'req',
  backend: 'gpb',
  minerSnapshot: 'msn',
  kingReading: 'kgr',
  operator: 'op',
  operatorKey: 'opk',
  audit: 'aud',
  modelCapability: 'mcap',
  revenueEntry: 'rev',
  spendAlert: 'alrt',
  creditGrant: 'cgr',
  creditMovement: 'cmv',
  moderationEvent: 'mod',
  rollout: 'rol',
  operatorNotice: 'opn',
  planVersion: 'plv',
  contractVersion: 'ctr',
  email: 'eml',
  user: 'usr',
  membership: 'mem',
  session: 'ses',
  signInLink: 'sil',
  invitation: 'inv',
  ssoRequest: 'sso',
  claimLink: 'clm',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** Prefixed ULIDs: readable type at a glance, and lexical order is creation order (cursors rely on it). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`;
}

const ULID_BODY = /^[0-9a-hjkmnp-tv-z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ULID_BODY.test(value.slice(prefix.length));
}
