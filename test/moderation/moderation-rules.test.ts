import { describe, expect, it } from 'vitest';
import { Blocklist, InvalidBlocklistRule } from '../../src/moderation/blocklist.js';
import { normalizeText } from '../../src/moderation/normalize.js';
import { ProviderBreaker } from '../../src/moderation/provider-breaker.js';
import { DEFAULT_BLOCKLIST } from '../../src/moderation/default-blocklist.js';

describe('moderation rules', () => {
  it('normalize case, accents, compatibility forms and punctuation away', () => {
    expect(normalizeText('  Crème-Brûlée!  ')).toBe('creme brulee');
    expect(normalizeText('ＦＵＬＬＷＩＤＴＨ')).toBe('fullwidth');
    expect(normalizeText('İstanbul\tÇAĞ')).toBe('istanbul cag');
  });

  it('match terms as whole words in any case or accent, and patterns on the normalized text', () => {
    const list = new Blocklist({ brand: ['Crème Brûlée', 'acme'], violence: ['re:\\bkill(?:s|ed|ing)?\\b'] });
    expect(list.match('an ad for CREME   brulee, warm')).toEqual({ category: 'brand', rule: 'Crème Brûlée' });
    expect(list.match('Ácme rockets')).toEqual({ category: 'brand', rule: 'acme' });
    expect(list.match('acmeville at dusk')).toBeNull();
    expect(list.match('the hero KILLED nobody')).toEqual({ category: 'violence', rule: 're:\\bkill(?:s|ed|ing)?\\b' });
    expect(list.match('a skilled baker')).toBeNull();
  });

  it('the built-in list compiles and refuses what it names', () => {
    const list = new Blocklist(DEFAULT_BLOCKLIST);
    expect(list.match('CSAM')?.category).toBe('sexual_minors');
    expect(list.match('a sneaker turning slowly on a plinth')).toBeNull();
  });

  it('refuse a pattern that does not compile, naming it', () => {
    expect(() => new Blocklist({ bad: ['re:(unclosed'] })).toThrow(InvalidBlocklistRule);
  });

  it('the provider breaker opens after the threshold, then lets one probe through', () => {
    let now = 0;
    const breaker = new ProviderBreaker(2, 1_000, () => now);
    breaker.failure();
    expect(breaker.admit()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.admit()).toBe(false);
    now = 1_000;
    expect(breaker.admit()).toBe(true);
    expect(breaker.admit()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.admit()).toBe(true);
  });
});
