import { describe, expect, it } from 'vitest';
import { encodeAddress } from '@polkadot/util-crypto';
import { parseCommitment, parseModelRef } from '../../src/miners/model-commitment.js';
import { createHash } from 'node:crypto';
import { ss58AccountId } from '../../src/miners/ss58.js';

describe('parseModelRef: what a miner committed on chain', () => {
  it.each([
    ['acme/i2v@4f2a9c1', { model: 'acme/i2v', revision: '4f2a9c1' }],
    ['acme/i2v:v1.2', { model: 'acme/i2v', revision: 'v1.2' }],
    ['acme/i2v', { model: 'acme/i2v', revision: null }],
    ['https://huggingface.co/acme/i2v/tree/main', { model: 'acme/i2v', revision: 'main' }],
    ['  acme/i2v@main  ', { model: 'acme/i2v', revision: 'main' }],
    ['{"model":"acme/i2v","revision":"abc"}', { model: 'acme/i2v', revision: 'abc' }],
    ['{"repo":"acme/i2v","digest":"sha256:0123abcd"}', { model: 'acme/i2v', revision: 'sha256:0123abcd' }],
    ['{"repository":"acme/i2v"}', { model: 'acme/i2v', revision: null }],
  ])('accepts %s', (text, want) => {
    expect(parseModelRef(text)).toEqual(want);
  });

  it.each([
    [null],
    [''],
    ['not a model'],
    ['DROP TABLE miners; --'],
    ['acme/../etc@1'],
    ['acme/x@../../etc'],
    ['acme/i2v@rev with space'],
    ['acme/i2v\u0000@1'],
    ['{"model": 42}'],
    ['{"model":"acme/i2v"'],
    ['[1,2,3]'],
    ['a'.repeat(2000)],
    ['ftp://huggingface.co/acme/i2v'],
  ])('rejects %j', (text) => {
    expect(parseModelRef(text)).toBeNull();
  });
});

// Real SS58 hotkeys (prefix 42) of real-shaped 32-byte accounts, and digests of both schemes.
const HOTKEY = encodeAddress(new Uint8Array(32).fill(7), 42);
const OTHER = encodeAddress(new Uint8Array(32).fill(8), 42);
const SHA = `sha256:${'0123456789abcdef'.repeat(4)}`;
const HF = `hf:${'a1b2c3d4e5'.repeat(4)}`;

describe('parseCommitment: the v4 format Leoma miners write', () => {
  it('the hotkeys used here are real 48-character SS58 addresses', () => {
    expect(HOTKEY).toHaveLength(48);
    expect(HOTKEY.startsWith('5')).toBe(true);
  });

  it.each([
    ['an OCI snapshot digest', `v4|acme/leoma-wan22-i2v|${SHA}|${HOTKEY}`, { model: 'acme/leoma-wan22-i2v', revision: SHA }],
    ['a Hugging Face commit', `v4|acme/leoma-v2|${HF}|${HOTKEY}`, { model: 'acme/leoma-v2', revision: HF }],
  ])('accepts %s', (_name, text, want) => {
    expect(parseCommitment(text, HOTKEY)).toEqual({ ok: true, ref: want });
  });

  it.each([
    ["another author's hotkey", `v4|acme/leoma-v2|${SHA}|${OTHER}`, 'author_hotkey_mismatch'],
    ['the stale v3 format', `v3|${SHA}|acme/leoma-v2|${SHA}|${HOTKEY}`, 'stale_format'],
    ['a v3 of the wrong shape is still v3', 'v3|junk', 'stale_format'],
    ['three parts', `v4|acme/leoma-v2|${SHA}`, 'commitment_unparseable'],
    ['five parts', `v4|acme/leoma-v2|${SHA}|${HOTKEY}|extra`, 'commitment_unparseable'],
    ['an empty part', `v4||${SHA}|${HOTKEY}`, 'commitment_unparseable'],
    ['a repository without owner', `v4|leoma-v2|${SHA}|${HOTKEY}`, 'commitment_unparseable'],
    ['a path-traversal repository', `v4|acme/..|${SHA}|${HOTKEY}`, 'commitment_unparseable'],
    ['a digest without scheme', `v4|acme/leoma-v2|${'0'.repeat(64)}|${HOTKEY}`, 'commitment_unparseable'],
    ['a sha256 digest one hex short', `v4|acme/leoma-v2|sha256:${'0'.repeat(63)}|${HOTKEY}`, 'commitment_unparseable'],
    ['an hf digest one hex long', `v4|acme/leoma-v2|hf:${'0'.repeat(41)}|${HOTKEY}`, 'commitment_unparseable'],
    ['upper-case hex', `v4|acme/leoma-v2|sha256:${'A'.repeat(64)}|${HOTKEY}`, 'commitment_unparseable'],
    ['an unknown scheme', `v4|acme/leoma-v2|md5:${'0'.repeat(32)}|${HOTKEY}`, 'commitment_unparseable'],
    ['a hotkey with a broken checksum', `v4|acme/leoma-v2|${SHA}|${HOTKEY.slice(0, -1)}${HOTKEY.endsWith('a') ? 'b' : 'a'}`, 'commitment_unparseable'],
    ['a hotkey of 47 characters', `v4|acme/leoma-v2|${SHA}|${HOTKEY.slice(0, 47)}`, 'commitment_unparseable'],
    ['a hotkey with 0 (not base58)', `v4|acme/leoma-v2|${SHA}|0${HOTKEY.slice(1)}`, 'commitment_unparseable'],
    ['over-long', `v4|acme/${'x'.repeat(1100)}|${SHA}|${HOTKEY}`, 'commitment_unparseable'],
    ['a trailing newline', `v4|acme/leoma-v2|${SHA}|${HOTKEY}\n`, 'commitment_unparseable'],
    ['junk', 'DROP TABLE miners; --', 'commitment_unparseable'],
  ])('refuses %s', (_name, text, reason) => {
    expect(parseCommitment(text, HOTKEY)).toEqual({ ok: false, reason });
  });

  it('keeps the free forms accepted', () => {
    expect(parseCommitment('acme/i2v@4f2a9c1', HOTKEY)).toEqual({ ok: true, ref: { model: 'acme/i2v', revision: '4f2a9c1' } });
  });
});

describe('SS58 without @polkadot/util-crypto', () => {
  it('decodes what util-crypto encodes, for one- and two-byte network prefixes, and refuses a bad checksum', async () => {
    const { encodeAddress, decodeAddress } = await import('@polkadot/util-crypto');
    for (const prefix of [0, 2, 42, 63, 64, 255, 1000, 16383]) {
      for (let i = 0; i < 20; i++) {
        // Fixed keys, so a checksum that happens to survive the change below (1 in 65,536) cannot make this flaky.
        const key = createHash('sha256').update(`${prefix}/${i}`).digest();
        const address = encodeAddress(key, prefix);
        expect(ss58AccountId(address)?.equals(key), `${prefix} ${address}`).toBe(true);
        expect(Buffer.from(decodeAddress(address)).equals(key)).toBe(true);
        // One character changed: the checksum (or the length) no longer holds.
        const at = 5 + (i % (address.length - 6));
        const swapped = address.slice(0, at) + (address[at] === 'a' ? 'b' : 'a') + address.slice(at + 1);
        expect(ss58AccountId(swapped), swapped).toBeNull();
      }
    }
    expect(ss58AccountId('')).toBeNull();
    expect(ss58AccountId('0OIl')).toBeNull();
    expect(ss58AccountId(encodeAddress(Buffer.alloc(33, 7), 42))).toBeNull();
  });
});
