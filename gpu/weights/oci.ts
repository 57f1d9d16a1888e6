import { createHash } from 'node:crypto';
import { WeightFetchError } from './errors.js';
import { describe, expectOk, get, readLimited } from './http.js';
import { isAllowed, safeRelativePath } from './patterns.js';
import { HEX64, type Remote, type RemoteLimits } from './remote.js';
import type { Credential } from './tokens.js';
import type { ModelRef, RemoteFile, RemotePart, RemoteSnapshot } from './types.js';

// The Hippius hub's chunked layouts (hippius_hub/constants.py): chunked-v1 (a pointer layer and its
// chunk layers, in order) and chunked-v2 (a pointer blob mapping chunks into ~64 MiB pack blobs),
// the only one hippius-hub 0.6.x — the validators' pinned client — still reads and writes.
export const LAYOUT_ANNOTATION = 'com.hippius.layout';
export const CHUNKED_V1 = 'chunked-v1';
export const CHUNKED_V2 = 'chunked-v2';
export const POINTER_V1 = 'application/vnd.hippius.pointer.v1';
export const CHUNK_V1 = 'application/vnd.hippius.chunk.v1';
export const POINTER_V2 = 'application/vnd.hippius.pointer.v2';
export const PACK_V1 = 'application/vnd.hippius.pack.v1';
const POINTER_LIMIT = 16 * 1024 * 1024;
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
 * untitled `chunk.v1` layers that follow it, in order; a titled `pointer.v2` layer is a chunked
 * file whose chunk list is in its pointer blob (read when the file is fetched); untitled `pack.v1`
 * layers are what those lists point into, and other untitled layers belong to foreign tooling.
 * A layout or hippius media type this reader does not know is refused by name: reading it with
 * these rules would write the wrong bytes.
 */
export function parseManifest(manifest: unknown, blobUrl: (digest: string) => string): { files: RemoteFile[]; skipped: string[] } {
  const doc = manifest as { annotations?: Record<string, unknown>; layers?: unknown };
  const layout = doc.annotations?.[LAYOUT_ANNOTATION];
  if (layout !== undefined && layout !== CHUNKED_V1 && layout !== CHUNKED_V2) {
    throw new WeightFetchError(
      'unsupported_layout',
      `the manifest declares ${LAYOUT_ANNOTATION}=${JSON.stringify(layout)}; only ${CHUNKED_V1}, ${CHUNKED_V2} and plain layers can be read`,
    );
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
      if (media !== PACK_V1 && media.startsWith('application/vnd.hippius.'))
        throw new WeightFetchError('unsupported_layout', `layer ${i} has media type ${media}, which this reader does not know`);
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
      if (parts.length !== count)
        throw new WeightFetchError(
          'malformed_listing',
          `pointer layer ${path} promises ${count} chunk(s) but only ${parts.length} contiguous chunk layer(s) follow it`,
        );
      const sum = parts.reduce((n, p) => n + p.size, 0);
      if (sum !== size) throw new WeightFetchError('malformed_listing', `the chunks of ${path} add up to ${sum} bytes, not the ${size} its pointer declares`);
      i += count;
      if (isAllowed(path)) files.push({ path, size, sha256, gitBlobSha1: null, parts });
      else skipped.push(path);
      continue;
    }
    if (media === POINTER_V2) {
      const ann = layer.annotations ?? {};
      const count = byteCount(ann[CHUNK_COUNT], `pointer layer ${path} (${CHUNK_COUNT})`);
      const size = byteCount(ann[FILE_SIZE], `pointer layer ${path} (${FILE_SIZE})`);
      const sha256 = sha256Hex(ann[FILE_DIGEST], `pointer layer ${path} (${FILE_DIGEST})`);
      if (count < 1) throw new WeightFetchError('malformed_listing', `pointer layer ${path} declares ${CHUNK_COUNT}=${count} (must be at least 1)`);
      const pointer = { sha256: sha256Hex(layer.digest, `pointer layer ${path}`), size: byteCount(layer.size, `pointer layer ${path}`) };
      if (isAllowed(path)) files.push({ path, size, sha256, gitBlobSha1: null, parts: [], pointer });
      else skipped.push(path);
      continue;
    }
    if (media.startsWith('application/vnd.hippius.'))
      throw new WeightFetchError('unsupported_layout', `file ${path} is stored as ${media}, which this reader does not know`);
    if (!isAllowed(path)) {
      skipped.push(path);
      continue;
    }
    const hex = sha256Hex(layer.digest, `layer ${path}`);
    const size = byteCount(layer.size, `layer ${path}`);
    files.push({ path, size, sha256: hex, gitBlobSha1: null, parts: [{ url: blobUrl(`sha256:${hex}`), size, sha256: hex }] });
  }
  const packs = new Map(layers.filter((l) => l.mediaType === PACK_V1).map((l) => [sha256Hex(l.digest, 'a pack layer'), byteCount(l.size, 'a pack layer')]));
  packSizes.set(doc, packs);
  return { files, skipped };
}

const packSizes = new WeakMap<object, Map<string, number>>();

/**
 * A chunked-v2 pointer blob (`{"version":"chunked-v2","chunks":[{digest,size,pack,offset}]}`) as the
 * file's parts: each chunk read by range from its pack and verified by its own digest. Every pack
 * must be a layer of the manifest, every chunk inside its pack, and the chunks must add up to the
 * file's declared count and size.
 */
export function pointerParts(file: RemoteFile, blob: Buffer, packs: Map<string, number>, blobUrl: (digest: string) => string): RemotePart[] {
  let doc: { version?: unknown; chunks?: unknown };
  try {
    doc = JSON.parse(blob.toString('utf8')) as typeof doc;
  } catch {
    throw new WeightFetchError('malformed_listing', `the pointer blob of ${file.path} is not JSON`);
  }
  if (doc.version !== CHUNKED_V2)
    throw new WeightFetchError('unsupported_layout', `the pointer blob of ${file.path} has version ${JSON.stringify(doc.version)}, not ${CHUNKED_V2}`);
  if (!Array.isArray(doc.chunks) || doc.chunks.length === 0)
    throw new WeightFetchError('malformed_listing', `the pointer blob of ${file.path} lists no chunks`);
  const parts = (doc.chunks as Array<Record<string, unknown>>).map((c, i) => {
    const what = `chunk ${i + 1} of ${file.path}`;
    const pack = sha256Hex(c.pack, what);
    const offset = byteCount(c.offset, `${what} (offset)`);
    const size = byteCount(c.size, what);
    const packSize = packs.get(pack);
    if (packSize === undefined) throw new WeightFetchError('malformed_listing', `${what} is in pack sha256:${pack}, which is not a layer of the manifest`);
    if (offset + size > packSize) throw new WeightFetchError('malformed_listing', `${what} ends past the end of its pack`);
    return { url: blobUrl(`sha256:${pack}`), offset, size, sha256: sha256Hex(c.digest, what) };
  });
  const sum = parts.reduce((n, p) => n + p.size, 0);
  if (sum !== file.size)
    throw new WeightFetchError('malformed_listing', `the chunks of ${file.path} add up to ${sum} bytes, not the ${file.size} its pointer declares`);
  return parts;
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
      throw new WeightFetchError(
        'remote_error',
        `the hub refused ${credential.authorization ? 'the configured hub token' : 'anonymous access (no hub token configured)'} for ${repo}: HTTP ${answer.status}`,
      );
    }
    await expectOk(answer, `the hub token service for ${repo}`);
    const body = JSON.parse((await readLimited(answer, 1024 * 1024, 'the hub token answer', limits.requestTimeoutMs)).toString('utf8')) as {
      token?: unknown;
      access_token?: unknown;
    };
    const token = String(body.token ?? body.access_token ?? '');
    if (!token) throw new WeightFetchError('remote_error', `the hub token service gave no token for ${repo}`);
    // The pull token is as secret as the credential it was traded for.
    credential.secrets.push(token);
    pullTokens.set(repo, token);
    return token;
  }

  async function authorizedGet(repo: string, url: string, options: { accept?: string; from?: number; to?: number; signal: AbortSignal }): Promise<Response> {
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
  const packsOf = new Map<RemoteFile, { repo: string; packs: Map<string, number> }>();
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
      if (actual !== ref.digest)
        throw new WeightFetchError('digest_mismatch', `the hub answered ${ref.repo}@${ref.digest} with a manifest whose digest is ${actual}`);
      let manifest: unknown;
      try {
        manifest = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new WeightFetchError('malformed_listing', `the manifest of ${ref.repo}@${ref.digest} is not JSON`);
      }
      const listed = parseManifest(manifest, (digest) => `${base}/v2/${ref.repo}/blobs/${digest}`);
      for (const file of listed.files) {
        for (const part of file.parts) repoOf.set(part.url, ref.repo);
        if (file.pointer) packsOf.set(file, { repo: ref.repo, packs: packSizes.get(manifest as object) ?? new Map() });
      }
      return listed;
    },
    async resolve(file: RemoteFile, signal: AbortSignal): Promise<RemoteFile> {
      const context = packsOf.get(file);
      if (!file.pointer || !context) return file;
      if (file.pointer.size > POINTER_LIMIT) throw new WeightFetchError('too_large', `the pointer blob of ${file.path} is ${file.pointer.size} bytes`);
      const url = `${base}/v2/${context.repo}/blobs/sha256:${file.pointer.sha256}`;
      const response = await expectOk(await authorizedGet(context.repo, url, { signal }), `the pointer blob of ${file.path}`);
      const blob = await readLimited(response, POINTER_LIMIT, `the pointer blob of ${file.path}`, limits.requestTimeoutMs);
      const actual = createHash('sha256').update(blob).digest('hex');
      if (actual !== file.pointer.sha256)
        throw new WeightFetchError('digest_mismatch', `the pointer blob of ${file.path} has SHA-256 ${actual}, not ${file.pointer.sha256}`);
      const parts = pointerParts(file, blob, context.packs, (digest) => `${base}/v2/${context.repo}/blobs/${digest}`);
      for (const part of parts) repoOf.set(part.url, context.repo);
      return { ...file, parts };
    },
    open(part: RemotePart, from: number, signal: AbortSignal): Promise<Response> {
      // A chunk inside a pack is a closed range of the pack; a whole blob is read from `from` to its end.
      const ranged = part.offset !== undefined ? { from: part.offset + from, to: part.offset + part.size - 1 } : { from };
      return authorizedGet(repoOf.get(part.url) ?? '', part.url, { ...ranged, signal });
    },
  };
}
