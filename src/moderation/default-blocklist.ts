/**
 * The built-in platform blocklist: a deliberately small floor of unambiguous terms. Operators
 * extend or replace it with MODERATION_BLOCKLIST, tenants add their own in their settings, and a
 * real classifier belongs in the external provider. Terms match whole words, ignoring case and
 * accents; entries starting with `re:` are regular expressions over the normalized prompt.
 */
export const DEFAULT_BLOCKLIST: Record<string, string[]> = {
  sexual_minors: [
    'child porn',
    'child pornography',
    'csam',
    'underage nude',
    'underage sex',
    're:\\b(?:nude|naked|sexual)\\s+(?:child|children|minor|minors|kid|kids)\\b',
  ],
  violent_extremism: ['beheading video', 'terrorist propaganda'],
};
