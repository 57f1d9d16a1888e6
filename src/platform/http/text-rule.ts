import type { FieldProblem } from './problem.js';

/**
 * The one rule for text that reaches us from a client, whatever the field: any Unicode text is
 * accepted (every script, emoji, bidi marks, tab, newline and carriage return) except
 *   - C0 control characters other than tab, LF and CR (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F):
 *     PostgreSQL cannot store NUL in `text` or `jsonb`, and the others are never meant as text;
 *   - lone UTF-16 surrogates (a high surrogate not followed by a low one, or a low one alone): they
 *     are not Unicode scalar values, so they cannot be encoded as UTF-8 for storage or for a GPU backend.
 * Checking at the edge, once, keeps validation and storage agreeing on what a string is.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Problems listed per request at most; one is enough to fix the client, a flood helps no one. */
const MAX_PROBLEMS = 20;

export const INVALID_CHARACTERS = 'invalid_characters';

/** Where the first forbidden character of `text` is, or undefined when the text is acceptable. */
export function firstForbiddenCharacter(text: string): { index: number; codePoint: string } | undefined {
  const m = FORBIDDEN.exec(text);
  if (!m) return undefined;
  return { index: m.index, codePoint: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` };
}

function describe(param: string, what: string, found: { index: number; codePoint: string }): FieldProblem {
  return {
    param,
    code: INVALID_CHARACTERS,
    message: `${what} contains ${found.codePoint} at position ${found.index}; control characters other than tab, newline and carriage return, and unpaired surrogates, are not allowed`,
  };
}

/**
 * Every string in `value` (object keys included, at any depth) checked against the rule; `root` is
 * the param name the value arrives under ('' for a whole body). Iterative, so a deeply nested JSON
 * body cannot exhaust the stack.
 */
export function invalidTextProblems(value: unknown, root = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const [v, param] = stack.pop()!;
    if (typeof v === 'string') {
      const found = firstForbiddenCharacter(v);
      if (found) problems.push(describe(param || 'body', 'the value', found));
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const found = Array.isArray(v) ? undefined : firstForbiddenCharacter(k);
        // The key itself cannot name the param, so the problem is reported on its parent object.
        if (found) problems.push(describe(param || 'body', 'a key', found));
        else stack.push([child, param ? `${param}.${k}` : k]);
      }
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
}
