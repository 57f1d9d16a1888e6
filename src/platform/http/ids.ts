import { monotonicFactory } from 'ulid';

/** Monotonic within a process, so two ids made in the same millisecond still sort in creation order. */
const ulid = monotonicFactory();

export const ID_PREFIXES = {
  video: 'vid',
  batch: 'bat',
  file: 'file',
  tenant: 'ten',
  apiKey: 'key',
  webhookEndpoint: 'whe',
  event: 'evt',
  webhookDelivery: 'dlv',
  burn: 'brn',
  allocation: 'alc',
  funding: 'fnd',
  request: 'req',
  backend: 'gpb',
  minerSnapshot: 'msn',
  operator: 'op',
  operatorKey: 'opk',
  audit: 'aud',
  modelCapability: 'mcap',
  revenueEntry: 'rev',
  moderationEvent: 'mod',
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
