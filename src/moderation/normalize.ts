/**
 * The form prompts and terms are compared in: Unicode compatibility decomposition with the
 * combining marks dropped (é → e, ｆｕｌｌｗｉｄｔｈ → fullwidth), lower case, and every run of
 * whitespace or punctuation as one space, so "Crème-Brûlée" and "creme brulee" match.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
}
