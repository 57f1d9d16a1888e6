import { DomainError } from '../platform/http/domain-error.js';

export const DEFAULT_KEY_TEMPLATE = '{video_id}.mp4';
const PLACEHOLDERS = ['video_id', 'custom_id', 'batch_id'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];
const SAFE_KEY = /^[A-Za-z0-9._\-/{}]+$/;

const refused = (param: string, message: string) =>
  new DomainError('destination_key_invalid', message, { errors: [{ param, code: 'destination_key_invalid', message }] });

/** A key (or prefix, or template) that cannot climb out of its folder or name an absolute path. */
function checkSegments(value: string, param: string, what: string): void {
  if (!SAFE_KEY.test(value)) throw refused(param, `The ${what} may hold only letters, digits, '.', '_', '-', '/' and placeholders in braces.`);
  if (value.startsWith('/')) throw refused(param, `The ${what} must be relative (no leading '/').`);
  const segments = value.split('/');
  if (segments.some((s) => s === '..' || s === '.')) throw refused(param, `The ${what} must not contain '.' or '..' path segments.`);
  if (segments.slice(0, -1).some((s) => s === '')) throw refused(param, `The ${what} must not contain empty path segments ('//').`);
}

/** The template a video or batch names: known placeholders only, no traversal; `{custom_id}` only where items have one. */
export function checkKeyTemplate(template: string, param: string, hasCustomId: boolean): string {
  if (template.length > 512) throw refused(param, 'The key template is longer than 512 characters.');
  checkSegments(template, param, 'key template');
  if (template.endsWith('/')) throw refused(param, 'The key template must name a file, not a folder.');
  for (const [, name] of template.matchAll(/\{([^}]*)\}/g)) {
    if (!PLACEHOLDERS.includes(name as Placeholder))
      throw refused(param, `Unknown placeholder '{${name}}'; use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`);
    if (name === 'custom_id' && !hasCustomId) throw refused(param, "'{custom_id}' is only for batch items; a video on its own has none.");
  }
  if (template.replace(/\{[a-z_]+\}/g, '').match(/[{}]/)) throw refused(param, 'Braces are only for placeholders.');
  return template;
}

/** A destination's prefix, prepended as is (end it with '/' for a folder). */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  if (prefix.length > 512) throw refused('prefix', 'The prefix is longer than 512 characters.');
  if (/[{}]/.test(prefix)) throw refused('prefix', 'The prefix takes no placeholders.');
  checkSegments(prefix, 'prefix', 'prefix');
  return prefix;
}

/**
 * The main file's key: the prefix, then the template with each value made safe (anything outside
 * [A-Za-z0-9._-] becomes '_', and a value of dots alone becomes '_'), so a custom_id such as
 * `../x` cannot make a path of its own.
 */
export function renderKey(prefix: string, template: string, values: Record<Placeholder, string | null>): string {
  const key = template.replace(/\{([a-z_]+)\}/g, (_, name: Placeholder) => {
    const safe = (values[name] ?? '').replace(/[^A-Za-z0-9._-]/g, '_');
    return /^\.*$/.test(safe) ? '_' : safe;
  });
  const full = prefix + key;
  checkSegments(full, 'destination_key', 'object key');
  return full;
}

/** The other files of a video beside the main one: `<stem>.<suffix>` (stem: the key without `.mp4`). */
export function siblingKey(mainKey: string, suffix: string): string {
  return `${mainKey.replace(/\.mp4$/i, '')}.${suffix}`;
}

/**
 * A batch's manifest key: the prefix, the folder of the batch's key template when that folder
 * names no item (`catalogue/{custom_id}.mp4` → `catalogue/`), then `<batch_id>.manifest.jsonl`.
 */
export function manifestKey(prefix: string, template: string, batchId: string): string {
  const slash = template.lastIndexOf('/');
  const folder = slash < 0 ? '' : template.slice(0, slash + 1);
  const usable = !/\{(custom_id|video_id)\}/.test(folder);
  return renderKey(prefix, `${usable ? folder : ''}{batch_id}.manifest.jsonl`, { video_id: null, custom_id: null, batch_id: batchId });
}
