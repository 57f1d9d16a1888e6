/** A model reference parsed from a miner's commitment. */
export interface ModelRef {
  model: string;
  revision: string | null;
}

const REPO = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;
const REVISION = /^[\w.:-]{1,128}$/;
const MAX_CHARS = 1024;

/**
 * Miners write free text on chain, so anything can be there. Accepted: JSON with a repository
 * (`model`/`repo`/`repository`) and a revision (`revision`/`rev`/`commit`/`digest`), or
 * `org/repo@revision`, `org/repo:revision`, a Hugging Face URL (`…/org/repo/tree/revision`), or a
 * bare `org/repo`. Anything else is junk: null, and the miner is not ranked.
 */
export function parseModelRef(text: string | null): ModelRef | null {
  if (!text || text.length > MAX_CHARS || /[\u0000-\u001f]/.test(text)) return null;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return fromJson(trimmed);
  const path = trimmed.replace(/^https?:\/\/(www\.)?huggingface\.co\//i, '');
  const tree = /^([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(path);
  const at = /^([^@:]+)[@:](.+)$/.exec(path);
  const [repo, revision] = tree ? [tree[1]!, tree[2]!] : at ? [at[1]!, at[2]!] : [path, null];
  return valid(repo, revision);
}

function fromJson(text: string): ModelRef | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const repo = [o.model, o.repo, o.repository].find((v) => typeof v === 'string');
  const revision = [o.revision, o.rev, o.commit, o.digest].find((v) => typeof v === 'string');
  return typeof repo === 'string' ? valid(repo, (revision as string | undefined) ?? null) : null;
}

function valid(repo: string, revision: string | null): ModelRef | null {
  if (!REPO.test(repo) || repo.includes('..')) return null;
  if (revision !== null && !REVISION.test(revision)) return null;
  return { model: repo, revision };
}
