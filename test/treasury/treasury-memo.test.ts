import { describe, expect, it } from 'vitest';
import { memoText, parseMemo } from '../../src/treasury/burn-memo.js';

const h = (c: string) => c.repeat(64);

describe('the burn memo', () => {
  it('stays v1 without an anchor, exactly as before', () => {
    expect(memoText('brn_1', h('a'))).toBe(`leoma-burn:v1:brn_1:${h('a')}`);
    expect(parseMemo(`leoma-burn:v1:brn_1:${h('a')}`)).toEqual({ version: 1, burnId: 'brn_1', allocationsHash: h('a'), anchor: null });
  });

  it('is v2 with a closed period: its statement sha256 and allocations Merkle root, and decodes back', () => {
    const anchor = { period: '2026-11', statementSha256: h('b'), merkleRoot: h('c') };
    const text = memoText('brn_2', h('a'), anchor);
    expect(text).toBe(`leoma-burn:v2:brn_2:${h('a')}:2026-11:${h('b')}:${h('c')}`);
    expect(parseMemo(text)).toEqual({ version: 2, burnId: 'brn_2', allocationsHash: h('a'), anchor });
  });

  it('refuses what is not a memo of ours', () => {
    for (const bad of ['', 'hello', `leoma-burn:v3:brn:${h('a')}`, `leoma-burn:v2:brn:${h('a')}:2026-13:${h('b')}:${h('c')}`, `leoma-burn:v1:brn:${h('z')}`])
      expect(parseMemo(bad)).toBeNull();
  });
});
