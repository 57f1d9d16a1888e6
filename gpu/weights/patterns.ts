import { posix } from 'node:path';
import { WeightFetchError } from './errors.js';

/** The validators' ALLOW_PATTERNS (leoma/infra/model_store.py): weights, configs, tokenizers — never code. */
export const ALLOW_PATTERNS = ['*.safetensors', '*.json', 'tokenizer*', 'special_tokens*', '*.model', '*.txt'] as const;

/** Python's fnmatch: `*` and `?` also match `/`, as huggingface_hub applies the patterns to whole paths. */
function fnmatch(name: string, pattern: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(name);
}

// Code, native libraries and pickles (which run code when loaded), whatever pattern they match.
const EXECUTABLE = /\.(py|pyc|pyo|pyd|so|dylib|dll|sh|bash|exe|bin|pt|pth|pkl|pickle|ckpt|joblib)$/i;

/**
 * Whether a snapshot file may be fetched. The validators match the whole path, where
 * `tokenizer*` also lets `tokenizer/evil.py` and `tokenizer.py` through; here the file's own name
 * must match too, and no code or pickle is fetched whatever its name starts with.
 */
export function isAllowed(path: string): boolean {
  const base = posix.basename(path);
  return ALLOW_PATTERNS.some((p) => fnmatch(path, p)) && ALLOW_PATTERNS.some((p) => fnmatch(base, p)) && !EXECUTABLE.test(base);
}

/** The configs the architecture check reads (model_index.json and each locked component's config). */
export function isArchConfig(path: string): boolean {
  return path === 'model_index.json' || /^(transformer|transformer_2|vae)\/config\.json$/.test(path);
}

/**
 * A listing's file name as a safe relative path: a miner controls these names, and one like
 * `../../etc/cron.d/x` or `/root/.ssh/authorized_keys` must never be written outside the snapshot.
 */
export function safeRelativePath(name: string): string {
  const segments = name.split('/');
  const bad =
    name.length === 0 ||
    name.length > 1024 ||
    name.includes('\\') ||
    name.includes('\0') ||
    segments.some((s) => s === '' || s === '.' || s === '..') ||
    segments[0]!.startsWith('.leoma');
  if (bad) throw new WeightFetchError('malformed_listing', `the listing names a file ${JSON.stringify(name.slice(0, 200))} that is not a plain relative path`);
  return name;
}
