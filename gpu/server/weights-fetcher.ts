import type { ModelRef } from './model-ref.js';
import type { WeightSource } from './weight-source.js';

export interface FetcherSettings {
  cacheDir: string;
  minFreeBytes: number;
  hfEndpoint?: string;
  hubEndpoint?: string;
  /** The model being served: never evicted from the cache while it is. */
  serving: ModelRef;
  log: (line: string) => void;
}

interface WeightsModule {
  createWeightFetcher(options: { cacheDir: string; minFreeBytes: number; hfEndpoint?: string; hubEndpoint?: string; pinned?: () => Iterable<ModelRef>; log?: (message: string) => void }): WeightSource;
}

/**
 * The by-digest fetcher of gpu/weights/ (verified, content-addressed, resumable; tokens from the
 * environment or the clients' token files), behind the WeightSource seam. Imported when the
 * server is started with --cache-dir, so a dev server on --weights-dir does not load it.
 */
export async function weightFetcher(settings: FetcherSettings): Promise<WeightSource> {
  // A computed specifier: gpu/weights is built by its own module and may be absent from a partial build.
  const specifier = '../weights/index.js';
  const weights = (await import(specifier)) as WeightsModule;
  return weights.createWeightFetcher({
    cacheDir: settings.cacheDir,
    minFreeBytes: settings.minFreeBytes,
    hfEndpoint: settings.hfEndpoint,
    hubEndpoint: settings.hubEndpoint,
    pinned: () => [settings.serving],
    log: settings.log,
  });
}
