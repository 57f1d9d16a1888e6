/** A model named by immutable digest: `hf:<40 hex>` (a Hugging Face commit) or `sha256:<64 hex>` (a Hippius OCI manifest). */
export interface ModelRef {
  repo: string;
  digest: string;
}

export interface FetchProgress {
  bytesDone: number;
  bytesTotal: number | null;
}

/** The seam between the GPU server and the fetcher (GPU-CONTRACT.md, point 7). */
export interface WeightSource {
  /** Resolves to the directory of a complete, verified snapshot. */
  fetch(model: ModelRef, onProgress: (p: FetchProgress) => void, signal: AbortSignal): Promise<string>;
  cacheUsage(): Promise<{ freeBytes: number; usedBytes: number }>;
}

/** One file of a remote snapshot, as its listing describes it, before any byte is fetched. */
export interface RemoteFile {
  /** Path inside the snapshot, `/`-separated, already checked to stay inside it. */
  path: string;
  size: number;
  /** Hex SHA-256 of the whole file when the listing states it (LFS oid, OCI digest, chunked-v1 file digest). */
  sha256: string | null;
  /** Hex git blob SHA-1 when that is all the listing states (a small non-LFS file on Hugging Face). */
  gitBlobSha1: string | null;
  /** Where the bytes come from: one URL, or chunks concatenated in order (empty until `pointer` is resolved). */
  parts: RemotePart[];
  /** A chunked-v2 file's pointer blob (sha256 hex), read for its chunk list only when the file is fetched. */
  pointer?: { sha256: string; size: number };
}

/** A byte range of a file served by one URL; `sha256` (hex) verifies the part itself when the listing states it. */
export interface RemotePart {
  url: string;
  /** Where the part starts inside what the URL serves (a chunk inside a chunked-v2 pack); 0 for a whole blob. */
  offset?: number;
  size: number;
  sha256: string | null;
}

export interface RemoteSnapshot {
  /** Every file of the snapshot the allowed patterns let through, in listing order. */
  files: RemoteFile[];
  /** Files the patterns kept out (named in the completion marker, never fetched). */
  skipped: string[];
}
