// The weights fetcher of the GPU backend (GPU-CONTRACT.md, point 7): snapshots by digest from
// Hugging Face or the Hippius hub into a verified, content-addressed cache.
export { type ArchConfigs, checkArchitecture, GENESIS_BASE, LOCKED_KEYS, PIPELINE, readArchConfigs, type SizeBounds } from './architecture.js';
export { COMPLETION_MARKER, type FreeSpaceProbe } from './cache.js';
export { WeightFetchError, type WeightErrorCode } from './errors.js';
export { createWeightFetcher, parseRef, type WeightFetcherOptions } from './fetcher.js';
export { ALLOW_PATTERNS, isAllowed } from './patterns.js';
export type { TokenSource, TokenSources } from './tokens.js';
export type { FetchProgress, ModelRef, WeightSource } from './types.js';
