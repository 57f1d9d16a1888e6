import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { WeightFetchError } from './errors.js';

/** The pipeline the subnet pins (leoma/chain.toml `[arch].pipeline`). */
export const PIPELINE = 'WanImageToVideoPipeline';

/** The genesis base every king fine-tunes (leoma/chain.toml `[arch]`); its configs are the definition. */
export const GENESIS_BASE = {
  repo: 'leoma/wan2.2-i2v-a14b-diffusers',
  digest: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e',
} as const;

const TRANSFORMER_KEYS = [
  'num_layers',
  'num_attention_heads',
  'attention_head_dim',
  'in_channels',
  'out_channels',
  'patch_size',
  'freq_dim',
  'ffn_dim',
  'text_dim',
];

/** Shape-critical config keys, per component (leoma/eval/arch_lock.py LOCKED_KEYS); both Wan 2.2 experts are locked. */
export const LOCKED_KEYS: Readonly<Record<string, readonly string[]>> = {
  transformer: TRANSFORMER_KEYS,
  transformer_2: TRANSFORMER_KEYS,
  vae: ['latent_channels', 'z_dim', 'base_dim', 'dim_mult'],
};

const ALLOWED_LIBRARIES = ['diffusers', 'transformers'];

export const MIN_SNAPSHOT_BYTES = 1024 ** 3;
export const MAX_SNAPSHOT_BYTES = 200 * 1024 ** 3;

/** What the check reads: `model_index.json` and each locked component's `config.json` (undefined when absent or unreadable). */
export interface ArchConfigs {
  modelIndex: unknown;
  configs: Record<string, unknown>;
}

export interface SizeBounds {
  min: number;
  max: number;
}

function mismatch(message: string): WeightFetchError {
  return new WeightFetchError('arch_mismatch', message);
}

const show = (value: unknown): string => (value === undefined ? '<missing>' : JSON.stringify(value));
const gib = (bytes: number): string => (bytes / 1024 ** 3).toFixed(2);

/** The enabled components (name → [library, class]); diffusers writes a disabled optional one as [null, null]. */
function components(index: Record<string, unknown>): Map<string, [unknown, unknown]> {
  const found = new Map<string, [unknown, unknown]>();
  for (const [name, value] of Object.entries(index)) {
    if (name.startsWith('_') || !Array.isArray(value) || value.length !== 2) continue;
    if (value[0] === null && value[1] === null) continue;
    found.set(name, [value[0], value[1]]);
  }
  return found;
}

/**
 * The validators' architecture lock (leoma/eval/arch_lock.py), on configs alone: the pinned
 * pipeline class, the base's components with the same [library, class] and no extras, the locked
 * keys equal to the base's own values (only keys the base defines), and the total size within
 * bounds. Throws a WeightFetchError `arch_mismatch` naming the first difference.
 */
export function checkArchitecture(
  candidate: ArchConfigs,
  base: ArchConfigs,
  totalBytes: number | null,
  bounds: SizeBounds = { min: MIN_SNAPSHOT_BYTES, max: MAX_SNAPSHOT_BYTES },
): void {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(candidate.modelIndex)) {
    throw mismatch(
      'model_index.json is missing or unreadable: a diffusers pipeline is defined by that file (a transformers-style root config.json is not what the subnet runs)',
    );
  }
  if (!isObject(base.modelIndex))
    throw new WeightFetchError('remote_error', "the base's model_index.json is missing or unreadable: nothing to check the architecture against");
  const pipeline = candidate.modelIndex._class_name;
  if (pipeline !== PIPELINE) throw mismatch(`model_index.json declares _class_name=${show(pipeline)}, but the subnet is pinned to ${JSON.stringify(PIPELINE)}`);

  const mine = components(candidate.modelIndex);
  const theirs = components(base.modelIndex);
  const missing = [...theirs.keys()].filter((n) => !mine.has(n)).sort();
  if (missing.length > 0) throw mismatch(`missing pipeline components: ${missing.join(', ')}`);
  const extra = [...mine.keys()].filter((n) => !theirs.has(n)).sort();
  if (extra.length > 0) throw mismatch(`unexpected pipeline components: ${extra.join(', ')} (the pipeline is pinned; an extra component is never loaded)`);
  for (const [name, [library, cls]] of [...mine].sort(([a], [b]) => a.localeCompare(b))) {
    if (typeof library !== 'string' || !ALLOWED_LIBRARIES.includes(library)) {
      throw mismatch(`component ${JSON.stringify(name)} comes from library ${show(library)}; only ${ALLOWED_LIBRARIES.join(' and ')} are allowed`);
    }
    const [baseLibrary, baseClass] = theirs.get(name)!;
    if (library !== baseLibrary || cls !== baseClass) {
      throw mismatch(
        `component ${JSON.stringify(name)} is ${String(library)}.${String(cls)}, but the pinned architecture uses ${String(baseLibrary)}.${String(baseClass)}`,
      );
    }
  }

  for (const [component, keys] of Object.entries(LOCKED_KEYS)) {
    const baseConfig = base.configs[component];
    if (!isObject(baseConfig)) continue;
    const config = candidate.configs[component];
    if (!isObject(config)) throw mismatch(`${component}/config.json is missing or unreadable`);
    for (const key of keys) {
      if (!(key in baseConfig)) continue;
      if (!isDeepStrictEqual(config[key], baseConfig[key])) {
        throw mismatch(`${component}/config.json ${key}=${show(config[key])} but the pinned architecture locks it to ${show(baseConfig[key])}`);
      }
    }
  }

  if (totalBytes !== null && totalBytes < bounds.min)
    throw mismatch(`the snapshot is ${gib(totalBytes)} GiB, below the ${gib(bounds.min)} GiB floor: a stub cannot be the pinned model`);
  if (totalBytes !== null && totalBytes > bounds.max) throw mismatch(`the snapshot is ${gib(totalBytes)} GiB, above the ${gib(bounds.max)} GiB ceiling`);
}

/** A snapshot directory's architecture configs, for checking one already on disk. */
export async function readArchConfigs(dir: string): Promise<ArchConfigs> {
  const read = async (path: string): Promise<unknown> => {
    try {
      return JSON.parse(await readFile(join(dir, path), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  };
  const configs: Record<string, unknown> = {};
  for (const component of Object.keys(LOCKED_KEYS)) configs[component] = await read(`${component}/config.json`);
  return { modelIndex: await read('model_index.json'), configs };
}
