import { WeightFetchError } from './errors.js';
import { expectOk, get, readLimited } from './http.js';
import { isAllowed, safeRelativePath } from './patterns.js';
import { HEX40, HEX64, type Remote, type RemoteLimits } from './remote.js';
import type { Credential } from './tokens.js';
import type { ModelRef, RemoteFile, RemotePart, RemoteSnapshot } from './types.js';

const LISTING_LIMIT = 16 * 1024 * 1024;

interface Sibling {
  rfilename?: unknown;
  size?: unknown;
  blobId?: unknown;
  lfs?: { sha256?: unknown; size?: unknown } | null;
}

/**
 * `hf:<commit>`: the file list from the Hub API for exactly that revision (`?blobs=true` gives
 * sizes, git blob ids and LFS oids), the bytes from `<endpoint>/<repo>/resolve/<commit>/<path>`.
 * An LFS file's SHA-256 is its oid; a small file kept in git is verified by its git blob SHA-1.
 */
export function huggingFace(endpoint: string, credential: Credential, limits: RemoteLimits): Remote {
  const base = endpoint.replace(/\/+$/, '');
  return {
    async list(ref: ModelRef, signal: AbortSignal): Promise<RemoteSnapshot> {
      const sha = ref.digest.slice('hf:'.length);
      const url = `${base}/api/models/${ref.repo}/revision/${sha}?blobs=true`;
      const response = await expectOk(
        await get(url, { authorization: credential.authorization, signal, timeoutMs: limits.requestTimeoutMs }),
        `listing ${ref.repo}@${ref.digest}`,
      );
      const info = JSON.parse((await readLimited(response, LISTING_LIMIT, 'the Hugging Face listing', limits.requestTimeoutMs)).toString('utf8')) as {
        sha?: unknown;
        siblings?: unknown;
      };
      if (info.sha !== sha) {
        throw new WeightFetchError('digest_mismatch', `Hugging Face answered ${ref.repo} at commit ${JSON.stringify(info.sha)}, not the requested ${sha}`);
      }
      if (!Array.isArray(info.siblings))
        throw new WeightFetchError('malformed_listing', `the Hugging Face listing of ${ref.repo}@${ref.digest} has no file list`);
      const files: RemoteFile[] = [];
      const skipped: string[] = [];
      for (const sibling of info.siblings as Sibling[]) {
        const path = safeRelativePath(String(sibling.rfilename ?? ''));
        if (!isAllowed(path)) {
          skipped.push(path);
          continue;
        }
        const lfs = sibling.lfs ?? null;
        const size = Number(lfs ? lfs.size : sibling.size);
        const sha256 = lfs ? String(lfs.sha256) : null;
        const gitBlobSha1 = lfs ? null : String(sibling.blobId);
        if (!Number.isSafeInteger(size) || size < 0 || (sha256 !== null && !HEX64.test(sha256)) || (gitBlobSha1 !== null && !HEX40.test(gitBlobSha1))) {
          throw new WeightFetchError('malformed_listing', `the Hugging Face listing gives ${path} no valid size and hash`);
        }
        const part: RemotePart = { url: `${base}/${ref.repo}/resolve/${sha}/${path.split('/').map(encodeURIComponent).join('/')}`, size, sha256 };
        files.push({ path, size, sha256, gitBlobSha1, parts: [part] });
      }
      return { files, skipped };
    },
    resolve: async (file: RemoteFile) => file,
    open(part: RemotePart, from: number, signal: AbortSignal): Promise<Response> {
      return get(part.url, { authorization: credential.authorization, from, signal, timeoutMs: limits.requestTimeoutMs });
    },
  };
}
