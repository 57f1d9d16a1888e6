import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import ts from 'typescript';

/** What a defineEnv result exposes that the generators read. */
interface EnvLike {
  module: string;
  shape: Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
}

const LAYERS = new Set(['app', 'core', 'platform']);
const INDEX_TAIL = /\s*Other modules use only what this file exports.*$/s;

/** Each feature folder of src/ with the first doc comment of its index.ts (its front page). */
export function featureFolders(): { folder: string; holds: string | null }[] {
  return readdirSync('src')
    .filter((d) => statSync(`src/${d}`).isDirectory() && !LAYERS.has(d))
    .sort()
    .map((folder) => {
      const index = `src/${folder}/index.ts`;
      const doc = existsSync(index) ? /^\/\*\*\s*([\s\S]*?)\s*\*\//.exec(readFileSync(index, 'utf8'))?.[1] : undefined;
      return {
        folder,
        holds: doc
          ? doc
              .replace(/\n\s*\*\s?/g, ' ')
              .replace(INDEX_TAIL, '')
              .trim()
          : null,
      };
    });
}

export function layoutTable(): string {
  const rows = featureFolders().map(({ folder, holds }) => `| \`src/${folder}/\` | ${holds ?? '(no index.ts doc comment)'} |`);
  return ['| Feature folder | What it holds |', '| --- | --- |', ...rows].join('\n');
}

/** The doc comment written above each property of a defineEnv(...) call, by variable name. */
function envComments(file: string): Map<string, string> {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const comments = new Map<string, string>();
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && node.expression.getText(source) === 'defineEnv' && node.arguments[1] && ts.isObjectLiteralExpression(node.arguments[1])) {
      for (const prop of node.arguments[1].properties) {
        if (!prop.name) continue;
        const ranges = ts.getLeadingCommentRanges(text, prop.getFullStart()) ?? [];
        const doc = ranges
          .map((r) => text.slice(r.pos, r.end))
          .filter((c) => c.startsWith('/**'))
          .pop();
        if (doc)
          comments.set(
            prop.name.getText(source),
            doc
              .replace(/\n\s*\*(?!\/)\s?/g, ' ')
              .replace(/^\/\*\*\s*|\s*\*\/$/g, '')
              .trim(),
          );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return comments;
}

/** How a default reads in an env file. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

/** Wraps a comment to lines of at most ~100 characters, each starting with "# ". */
function commentLines(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > 100 && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

export function envFiles(): string[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'src/*.env.ts'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

/** Every defineEnv result a module exports, with the file that declares it. */
export async function declaredEnvs(): Promise<{ file: string; env: EnvLike }[]> {
  const found: { file: string; env: EnvLike }[] = [];
  for (const file of envFiles()) {
    const mod = (await import(`../../${file}`)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      const env = value as Partial<EnvLike>;
      if (env && typeof env === 'object' && typeof env.module === 'string' && env.shape) found.push({ file, env: env as EnvLike });
    }
  }
  return found;
}

/**
 * `.env.example`: every variable of every module, its doc comment, and its default. A variable
 * with a default is shown commented out (the default applies); one without is shown empty.
 */
export async function envExample(): Promise<string> {
  const out = [
    '# Leoma API configuration, generated from src/**/*.env.ts (npm run docs:generate; checked by',
    '# test/app/generated-docs.test.ts). `npm run dev` sets what it needs for you; production sets these',
    '# in the Helm values and secrets. Each module validates its own variables at start and names a bad one.',
    '# A commented line shows the default; an empty value means unset.',
  ];
  for (const { file, env } of await declaredEnvs()) {
    const comments = envComments(file);
    out.push('', `# --- ${env.module} (${file})`);
    for (const [name, schema] of Object.entries(env.shape)) {
      const doc = comments.get(name);
      if (doc) out.push(...commentLines(doc));
      const parsed = schema.safeParse(undefined);
      if (parsed.success && parsed.data !== undefined) out.push(`# ${name}=${shown(parsed.data)}`);
      else out.push(parsed.success ? `# ${name}=` : `${name}=`);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The complete settings reference in docs/operations/settings.md: one table per module, every
 * variable its schema declares, with its default and its doc comment. The curated table above it in
 * that file explains the main ones at more length.
 */
export async function settingsTable(): Promise<string> {
  const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  const out: string[] = [];
  for (const { file, env } of await declaredEnvs()) {
    const comments = envComments(file);
    out.push(`### ${env.module} ([${file}](../../${file}))`, '', '| variable | default | meaning |', '| --- | --- | --- |');
    for (const [name, schema] of Object.entries(env.shape)) {
      const parsed = schema.safeParse(undefined);
      const fallback = parsed.success ? (parsed.data === undefined || parsed.data === '' ? 'unset' : `\`${cell(shown(parsed.data))}\``) : 'required';
      out.push(`| \`${name}\` | ${fallback} | ${cell(comments.get(name) ?? '')} |`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}
