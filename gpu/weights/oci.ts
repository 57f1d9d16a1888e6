import { createHash } from 'node:crypto';
import { WeightFetchError } from './errors.js';
import { describe, expectOk, get, readLimited } from './http.js';
import { isAllowed, safeRelativePath } from './patterns.js';
import { HEX64, type Remote, type RemoteLimits } from './remote.js';
import type { Credential } from './tokens.js';
import type { ModelRef, RemoteFile, RemotePart, RemoteSnapshot } from './types.js';

// The Hippius hub's chunked-v1 artifact layout (hippius_hub/constants.py, up to release 0.6).
export const LAYOUT_ANNOTATION = 'com.hippius.layout';
export const CHUNKED_V1 = 'chunked-v1';
export const POINTER_V1 = 'application/vnd.hippius.pointer.v1';
export const CHUNK_V1 = 'application/vnd.hippius.chunk.v1';
export const TITLE = 'org.opencontainers.image.title';
export const FILE_SIZE = 'com.hippius.file.size';
export const FILE_DIGEST = 'com.hippius.file.digest';
export const CHUNK_COUNT = 'com.hippius.chunk.count';
const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
const MANIFEST_LIMIT = 8 * 1024 * 1024;

interface Layer {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
  annotations?: Record<string, unknown>;
}

function sha256Hex(digest: unknown, what: string): string {
  const text = String(digest);
  const hex = text.startsWith('sha256:') ? text.slice(7) : text;
  if (!HEX64.test(hex)) throw new WeightFetchError('malformed_listing', `${what} has digest ${JSON.stringify(text.slice(0, 80))}, not a sha256 digest`);
  return hex;
}

function byteCount(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || (typeof value === 'string' && value.trim() === '')) {
    throw new WeightFetchError('malformed_listing', `${what} has no valid size (${JSON.stringify(value)})`);
  }
  return n;
}

/**
 * Collapses a manifest's layers into files as hippius_hub's reader does: a titled layer is a plain
 * file; a titled `pointer.v1` layer is a chunked file made of exactly `com.hippius.chunk.count`
 * untitled `chunk.v1` layers that follow it, in order; other untitled layers belong to foreign
 * tooling and are skipped. A layout or hippius media type this reader does not know is refused by
 * name: reading it with chunked-v1's assumptions would write the wrong bytes.
 */
export function parseManifest(manifest: unknown, blobUrl: (digest: string) => string): { files: RemoteFile[]; skipped: string[] } {
  const doc = manifest as { annotations?: Record<string, unknown>; layers?: unknown };
  const layout = doc.annotations?.[LAYOUT_ANNOTATION];
  if (layout !== undefined && layout !== CHUNKED_V1) {
    throw new WeightFetchError('unsupported_layout', `the manifest declares ${LAYOUT_ANNOTATION}=${JSON.stringify(layout)}; only ${CHUNKED_V1} (and plain layers) can be read`);
  }
  if (!Array.isArray(doc.layers)) throw new WeightFetchError('malformed_listing', 'the manifest has no layers');
  const layers = doc.layers as Layer[];
  const files: RemoteFile[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const media = String(layer.mediaType ?? '');
    const title = layer.annotations?.[TITLE];
    if (typeof title !== 'string' || title === '') {
      if (media === CHUNK_V1) throw new WeightFetchError('malformed_listing', `untitled chunk layer at index ${i} has no pointer layer before it`);
      if (media.startsWith('application/vnd.hippius.')) throw new WeightFetchError('unsupported_layout', `layer ${i} has media type ${media}, which this reader does not know`);
      continue;
    }
    const path = safeRelativePath(title);
    if (media === POINTER_V1) {
      const ann = layer.annotations ?? {};
      const count = byteCount(ann[CHUNK_COUNT], `pointer layer ${path} (${CHUNK_COUNT})`);
      const size = byteCount(ann[FILE_SIZE], `pointer layer ${path} (${FILE_SIZE})`);
      const sha256 = sha256Hex(ann[FILE_DIGEST], `pointer layer ${path} (${FILE_DIGEST})`);
      if (count < 1) throw new WeightFetchError('malformed_listing', `pointer layer ${path} declares ${CHUNK_COUNT}=${count} (must be at least 1)`);
      const parts: RemotePart[] = [];
      for (const chunk of layers.slice(i + 1, i + 1 + count)) {
        if (chunk.mediaType !== CHUNK_V1 || typeof chunk.annotations?.[TITLE] === 'string') break;
        const hex = sha256Hex(chunk.digest, `a chunk of ${path}`);
        parts.push({ url: blobUrl(`sha256:${hex}`), size: byteCount(chunk.size, `a chunk of ${path}`), sha256: hex });
      }
      if (parts.length !== count) throw new WeightFetchError('malformed_listing', `pointer layer ${path} promises ${count} chunk(s) but only ${parts.length} contiguous chunk layer(s) follow it`);
      const sum = parts.reduce((n, p) => n + p.size, 0);
      if (sum !== size) throw new WeightFetchError('malformed_listing', `the chunks of ${path} add up to ${sum} bytes, not the ${size} its pointer declares`);
      i += count;
      if (isAllowed(path)) files.push({ path, size, sha256, gitBlobSha1: null, parts });
      else skipped.push(path);
      continue;
    }
    if (media.startsWith('application/vnd.hippius.')) throw new WeightFetchError('unsupported_layout', `file ${path} is stored as ${media}, which this reader does not know`);
    if (!isAllowed(path)) {
      skipped.push(path);
      continue;
    }
    const hex = sha256Hex(layer.digest, `layer ${path}`);
    const size = byteCount(layer.size, `layer ${path}`);
    files.push({ path, size, sha256: hex, gitBlobSha1: null, parts: [{ url: blobUrl(`sha256:${hex}`), size, sha256: hex }] });
  }
  return { files, skipped };
}

/** `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` as a map. */
function challenge(header: string | null): Record<string, string> | null {
  if (!header || !/^bearer /i.test(header)) return null;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return params;
}

/**
 * `sha256:<manifest digest>` on the Hippius hub (an OCI registry; Harbor). The hub credential is
 * traded at the registry's token service for a short-lived pull token, as hippius_hub does, and
 * sent only to the hub's own origin; the manifest's bytes must hash to the digest asked for.
 */
export function hippiusHub(endpoint: string, credential: Credential, limits: RemoteLimits): Remote {
  const base = endpoint.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const pullTokens = new Map<string, string>();

  async function pullToken(repo: string, response: Response, signal: AbortSignal): Promise<string> {
    const params = challenge(response.headers.get('www-authenticate')) ?? {};
    const realm = params.realm && new URL(params.realm, base).origin === origin ? params.realm : `${base}/service/token`;
    const query = new URLSearchParams({ service: params.service ?? 'harbor-registry', scope: `repository:${repo}:pull` });
    const answer = await get(`${realm}?${query}`, { authorization: credential.authorization, signal, timeoutMs: limits.requestTimeoutMs });
    if (answer.status === 401 || answer.status === 403) {
      await answer.body?.cancel();
      throw new WeightFetchError('remote_error', `the hub refused ${credential.authorization ? 'the configured hub token' : 'anonymous access (no hub token configured)'} for ${repo}: HTTP ${answer.status}`);
    }
    await expectOk(answer, `the hub token service for ${repo}`);
    const body = JSON.parse((await readLimited(answer, 1024 * 1024, 'the hub token answer', limits.requestTimeoutMs)).toString('utf8')) as { token?: unknown; access_token?: unknown };
    const token = String(body.token ?? body.access_token ?? '');
    if (!token) throw new WeightFetchError('remote_error', `the hub token service gave no token for ${repo}`);
    // The pull token is as secret as the credential it was traded for.
    credential.secrets.push(token);
    pullTokens.set(repo, token);
    return token;
  }

  async function authorizedGet(repo: string, url: string, options: { accept?: string; from?: number; signal: AbortSignal }): Promise<Response> {
    const attempt = (token: string | undefined): Promise<Response> =>
      get(url, { ...options, authorization: token ? `Bearer ${token}` : null, timeoutMs: limits.requestTimeoutMs });
    let response = await attempt(pullTokens.get(repo));
    if (response.status === 401) {
      await response.body?.cancel();
      response = await attempt(await pullToken(repo, response, options.signal));
    }
    return response;
  }

  const repoOf = new Map<string, string>();
  return {
    async list(ref: ModelRef, signal: AbortSignal): Promise<RemoteSnapshot> {
      const url = `${base}/v2/${ref.repo}/manifests/${ref.digest}`;
      const response = await authorizedGet(ref.repo, url, { accept: MANIFEST_ACCEPT, signal });
      if (response.status === 404) {
        await response.body?.cancel();
        throw new WeightFetchError('remote_error', `the hub has no manifest ${ref.digest} in ${ref.repo} (${describe(url)})`);
      }
      await expectOk(response, `the manifest of ${ref.repo}@${ref.digest}`);
      const bytes = await readLimited(response, MANIFEST_LIMIT, 'the manifest', limits.requestTimeoutMs);
      const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (actual !== ref.digest) throw new WeightFetchError('digest_mismatch', `the hub answered ${ref.repo}@${ref.digest} with a manifest whose digest is ${actual}`);
      let manifest: unknown;
      try {
        manifest = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new WeightFetchError('malformed_listing', `the manifest of ${ref.repo}@${ref.digest} is not JSON`);
      }
      const listed = parseManifest(manifest, (digest) => `${base}/v2/${ref.repo}/blobs/${digest}`);
      for (const file of listed.files) for (const part of file.parts) repoOf.set(part.url, ref.repo);
      return listed;
    },
    open(part: RemotePart, from: number, signal: AbortSignal): Promise<Response> {
      return authorizedGet(repoOf.get(part.url) ?? '', part.url, { from, signal });
    },
  };
}
