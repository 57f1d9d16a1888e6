import { ss58AccountId } from './ss58.js';

/** A model reference parsed from a miner's commitment. */
export interface ModelRef {
  model: string;
  revision: string | null;
}

/** Why a commitment names no model we may serve; shown to operators in the admin ranking. */
export type CommitmentRejection = 'commitment_unparseable' | 'stale_format' | 'author_hotkey_mismatch';

export type CommitmentVerdict = { ok: true; ref: ModelRef } | { ok: false; reason: CommitmentRejection };

const REPO = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;
const REVISION = /^[\w.:-]{1,128}$/;
// The two snapshot schemes the subnet accepts: an OCI (Hippius) manifest digest, a Hugging Face commit.
const DIGEST = /^(sha256:[0-9a-f]{64}|hf:[0-9a-f]{40})$/;
// Base58 without 0, O, I, l; a 32-byte account in SS58 is 47 or 48 characters, and the subnet writes 48.
const SS58 = /^[1-9A-HJ-NP-Za-km-z]{48}$/;
const MAX_CHARS = 1024;

/**
 * What a miner committed for `hotkey`, as the subnet's validators read it. Leoma's miners write
 * `v4|<repo>|<digest>|<author_hotkey>`: exactly four parts, a `owner/name` repository, a digest
 * with its scheme, and the author's SS58 hotkey, which must be the hotkey the commitment is stored
 * under (a copied commitment names someone else's work). `v3|…` is the retired format that
 * validators skip as stale. The older free forms (JSON, `org/repo@rev`, Hugging Face URLs, bare
 * `org/repo`) stay accepted for config-driven and test subnets.
 */
export function parseCommitment(text: string | null, hotkey: string): CommitmentVerdict {
  if (text?.startsWith('v4|')) return parseV4(text, hotkey);
  if (text?.startsWith('v3|')) return { ok: false, reason: 'stale_format' };
  const ref = parseModelRef(text);
  return ref ? { ok: true, ref } : { ok: false, reason: 'commitment_unparseable' };
}

function parseV4(text: string, hotkey: string): CommitmentVerdict {
  const parts = text.split('|');
  if (text.length > MAX_CHARS || parts.length !== 4) return { ok: false, reason: 'commitment_unparseable' };
  const [, repo, digest, author] = parts as [string, string, string, string];
  if (!REPO.test(repo) || repo.includes('..') || !DIGEST.test(digest) || !isSs58(author)) return { ok: false, reason: 'commitment_unparseable' };
  if (!sameAccount(author, hotkey)) return { ok: false, reason: 'author_hotkey_mismatch' };
  return { ok: true, ref: { model: repo, revision: digest } };
}

/** Shape and checksum: a mistyped hotkey is junk, not a mismatch. */
function isSs58(text: string): boolean {
  return SS58.test(text) && ss58AccountId(text) !== null;
}

/** The same account even when written with another network prefix. */
function sameAccount(a: string, b: string): boolean {
  const [x, y] = [ss58AccountId(a), ss58AccountId(b)];
  return x !== null && y !== null && x.equals(y);
}

/**
 * The free forms: JSON with a repository (`model`/`repo`/`repository`) and a revision
 * (`revision`/`rev`/`commit`/`digest`), or `org/repo@revision`, `org/repo:revision`, a Hugging Face
 * URL (`…/org/repo/tree/revision`), or a bare `org/repo`. Anything else is junk: null.
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
