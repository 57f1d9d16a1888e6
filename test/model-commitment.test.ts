import { describe, expect, it } from 'vitest';
import { parseModelRef } from '../src/miners/model-commitment.js';

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
