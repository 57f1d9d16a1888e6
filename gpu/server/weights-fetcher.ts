import type { ModelRef } from './model-ref.js';
import { createWeightFetcher, type WeightFetcherOptions, type WeightSource } from '../weights/index.js';

export interface FetcherSettings {
  cacheDir: string;
  minFreeBytes: number;
  hfEndpoint?: string;
  hubEndpoint?: string;
  /** The model being served: never evicted from the cache while it is. */
  serving: ModelRef;
  log: (line: string) => void;
  /**
   * The fetcher's other options, for a server started in code rather than from the command line:
   * another base or size bounds (a scaled-down snapshot on a fake hub), tokens, timeouts.
   */
  fetcher?: Pick<WeightFetcherOptions, 'base' | 'baseArchitecture' | 'sizeBounds' | 'tokens' | 'env' | 'requestTimeoutMs' | 'stallMs'>;
}

/**
 * The by-digest fetcher of gpu/weights/ (verified, content-addressed, resumable; tokens from the
 * environment or the clients' token files), behind the WeightSource seam. Used when the server is
 * started with --cache-dir.
 */
export function weightFetcher(settings: FetcherSettings): WeightSource {
  return createWeightFetcher({
    ...settings.fetcher,
    cacheDir: settings.cacheDir,
    minFreeBytes: settings.minFreeBytes,
    hfEndpoint: settings.hfEndpoint,
    hubEndpoint: settings.hubEndpoint,
    pinned: () => [settings.serving],
    log: settings.log,
  });
}
