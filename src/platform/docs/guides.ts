import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Marked } from 'marked';

/** One guide: docs/guides/<slug>.md, served at /docs/guides/<slug>. */
export interface Guide {
  slug: string;
  title: string;
  html: string;
}

/** The order a newcomer reads them in; a guide not listed here comes after, by name. */
const ORDER = ['quickstart', 'going-live', 'limits', 'webhooks', 'batches', 'errors', 'idempotency', 'versions', 'test-mode', 'browsers'];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The guides are Markdown written by us, rendered once at start. Raw HTML in them is escaped
 * (the pages' policy allows no inline script or style anyway), and a link to a sibling `x.md` becomes
 * `/docs/guides/x`, so the files read the same on GitHub and here.
 */
export function loadGuides(dir: string): Guide[] {
  if (!existsSync(dir)) return [];
  const marked = new Marked({
    gfm: true,
    renderer: {
      html: ({ text }) => escapeHtml(text),
    },
    walkTokens: (token) => {
      if (token.type === 'link' && /^[\w-]+\.md(#[\w-]*)?$/.test(token.href)) token.href = `/docs/guides/${token.href.replace(/\.md/, '')}`;
    },
  });
  const slugs = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => basename(f, '.md'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return slugs.map((slug) => {
    const text = readFileSync(join(dir, `${slug}.md`), 'utf8');
    const title = /^# (.+)$/m.exec(text)?.[1] ?? slug;
    return { slug, title, html: marked.parse(text, { async: false }) };
  });
}

const rank = (slug: string) => (ORDER.includes(slug) ? ORDER.indexOf(slug) : ORDER.length);
