import { normalizeText } from './normalize.js';

export interface BlocklistHit {
  category: string;
  /** The term or pattern that matched, as configured (for operators; tenants see the category). */
  rule: string;
}

interface CompiledRule {
  category: string;
  rule: string;
  regex: RegExp;
}

export class InvalidBlocklistRule extends Error {
  constructor(
    readonly category: string,
    readonly rule: string,
    reason: string,
  ) {
    super(`${category}: '${rule}' is not a valid pattern (${reason})`);
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A compiled blocklist. Terms are normalized like the text and match as whole words (a term of
 * several words matches them in sequence); `re:` patterns run on the normalized text, so they
 * are written in lower case without accents.
 */
export class Blocklist {
  private readonly rules: CompiledRule[];

  constructor(lists: Record<string, string[]>) {
    this.rules = Object.entries(lists).flatMap(([category, rules]) => rules.map((rule) => ({ category, rule, regex: compile(category, rule) })));
  }

  /** The first rule the text breaks, in configuration order; null when none does. */
  match(text: string): BlocklistHit | null {
    const normalized = normalizeText(text);
    for (const { category, rule, regex } of this.rules) {
      if (regex.test(normalized)) return { category, rule };
    }
    return null;
  }
}

function compile(category: string, rule: string): RegExp {
  if (rule.startsWith('re:')) {
    try {
      return new RegExp(rule.slice(3), 'iu');
    } catch (e) {
      throw new InvalidBlocklistRule(category, rule, (e as Error).message);
    }
  }
  const words = normalizeText(rule).split(' ').filter(Boolean);
  if (!words.length) throw new InvalidBlocklistRule(category, rule, 'no letters or digits');
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRegex).join(' ')}(?![\\p{L}\\p{N}])`, 'u');
}
