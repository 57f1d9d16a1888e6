import type { ModelRef } from './model-ref.js';
import { createWeightFetcher, type WeightSource } from '../weights/index.js';

export interface FetcherSettings {
  cacheDir: string;
  minFreeBytes: number;
  hfEndpoint?: string;
  hubEndpoint?: string;
  /** The model being served: never evicted from the cache while it is. */
  serving: ModelRef;
  log: (line: string) => void;
}

/**
 * The by-digest fetcher of gpu/weights/ (verified, content-addressed, resumable; tokens from the
 * environment or the clients' token files), behind the WeightSource seam. Used when the server is
 * started with --cache-dir.
 */
export function weightFetcher(settings: FetcherSettings): WeightSource {
  return createWeightFetcher({
    cacheDir: settings.cacheDir,
    minFreeBytes: settings.minFreeBytes,
    hfEndpoint: settings.hfEndpoint,
    hubEndpoint: settings.hubEndpoint,
    pinned: () => [settings.serving],
    log: settings.log,
  });
}
