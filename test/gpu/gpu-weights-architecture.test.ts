import { describe, expect, it } from 'vitest';
import { type ArchConfigs, checkArchitecture, isAllowed, WeightFetchError } from '../../gpu/weights/index.js';
import { MODEL_INDEX, TRANSFORMER_CONFIG, VAE_CONFIG } from '../support/fake-weights/wan-snapshot.js';

const GiB = 1024 ** 3;
const base: ArchConfigs = { modelIndex: MODEL_INDEX, configs: { transformer: TRANSFORMER_CONFIG, transformer_2: TRANSFORMER_CONFIG, vae: VAE_CONFIG } };

function candidate(change: { modelIndex?: unknown; transformer?: unknown; transformer_2?: unknown; vae?: unknown } = {}): ArchConfigs {
  return {
    modelIndex: 'modelIndex' in change ? change.modelIndex : MODEL_INDEX,
    configs: {
      transformer: 'transformer' in change ? change.transformer : TRANSFORMER_CONFIG,
      transformer_2: 'transformer_2' in change ? change.transformer_2 : TRANSFORMER_CONFIG,
      vae: 'vae' in change ? change.vae : VAE_CONFIG,
    },
  };
}

function refusal(configs: ArchConfigs, totalBytes: number | null = 126 * GiB): string {
  try {
    checkArchitecture(configs, base, totalBytes);
  } catch (error) {
    expect(error).toBeInstanceOf(WeightFetchError);
    expect((error as WeightFetchError).code).toBe('arch_mismatch');
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('the architecture lock (leoma/eval/arch_lock.py, on configs alone)', () => {
  it('accepts a fine-tune of the base: same components, same locked keys, unlocked keys free', () => {
    expect(() =>
      checkArchitecture(candidate({ transformer: { ...TRANSFORMER_CONFIG, cross_attn_norm: false, rope_max_seq_len: 1024 } }), base, 126 * GiB),
    ).not.toThrow();
  });

  it('refuses a missing model_index.json and another pipeline class', () => {
    expect(refusal(candidate({ modelIndex: undefined }))).toContain('model_index.json is missing or unreadable');
    expect(refusal(candidate({ modelIndex: { ...MODEL_INDEX, _class_name: 'WanPipeline' } }))).toBe(
      'model_index.json declares _class_name="WanPipeline", but the subnet is pinned to "WanImageToVideoPipeline"',
    );
  });

  it('refuses a missing, an extra, a swapped or a foreign-library component; a disabled [null, null] one is no component', () => {
    const { vae: _vae, ...withoutVae } = MODEL_INDEX;
    expect(refusal(candidate({ modelIndex: withoutVae }))).toBe('missing pipeline components: vae');
    expect(refusal(candidate({ modelIndex: { ...MODEL_INDEX, watermarker: ['diffusers', 'Watermarker'] } }))).toContain(
      'unexpected pipeline components: watermarker',
    );
    expect(refusal(candidate({ modelIndex: { ...MODEL_INDEX, scheduler: ['diffusers', 'FlowMatchEulerDiscreteScheduler'] } }))).toBe(
      'component "scheduler" is diffusers.FlowMatchEulerDiscreteScheduler, but the pinned architecture uses diffusers.UniPCMultistepScheduler',
    );
    expect(refusal(candidate({ modelIndex: { ...MODEL_INDEX, scheduler: ['my_lib', 'UniPCMultistepScheduler'] } }))).toContain('comes from library "my_lib"');
    const { image_encoder: _e, image_processor: _p, ...withoutDisabled } = MODEL_INDEX;
    expect(() => checkArchitecture(candidate({ modelIndex: withoutDisabled }), base, 126 * GiB)).not.toThrow();
  });

  it('refuses a locked key that differs from the base, in either expert or the VAE, and a missing component config', () => {
    expect(refusal(candidate({ transformer: { ...TRANSFORMER_CONFIG, ffn_dim: 8960 } }))).toBe(
      'transformer/config.json ffn_dim=8960 but the pinned architecture locks it to 13824',
    );
    expect(refusal(candidate({ transformer_2: { ...TRANSFORMER_CONFIG, patch_size: [1, 4, 4] } }))).toBe(
      'transformer_2/config.json patch_size=[1,4,4] but the pinned architecture locks it to [1,2,2]',
    );
    const { text_dim: _t, ...noTextDim } = TRANSFORMER_CONFIG;
    expect(refusal(candidate({ transformer: noTextDim }))).toBe('transformer/config.json text_dim=<missing> but the pinned architecture locks it to 4096');
    expect(refusal(candidate({ vae: { ...VAE_CONFIG, dim_mult: [1, 2, 4] } }))).toContain('vae/config.json dim_mult=[1,2,4]');
    expect(refusal(candidate({ transformer_2: undefined }))).toBe('transformer_2/config.json is missing or unreadable');
  });

  it('compares only the keys the base defines', () => {
    const { base_dim: _b, ...vaeWithoutBaseDim } = VAE_CONFIG;
    const older: ArchConfigs = { ...base, configs: { ...base.configs, vae: vaeWithoutBaseDim } };
    expect(() => checkArchitecture(candidate({ vae: { ...VAE_CONFIG, base_dim: 128 } }), older, 126 * GiB)).not.toThrow();
  });

  it('refuses a stub and a disk-filler by size (1 GiB–200 GiB), and skips the size when it is not known', () => {
    expect(refusal(candidate(), 512 * 1024 ** 2)).toContain('below the 1.00 GiB floor');
    expect(refusal(candidate(), 201 * GiB)).toContain('above the 200.00 GiB ceiling');
    expect(() => checkArchitecture(candidate(), base, null)).not.toThrow();
    expect(() => checkArchitecture(candidate(), base, 200 * GiB)).not.toThrow();
  });
});

describe('the allowed file patterns', () => {
  it('lets weights, configs and tokenizer files through, and no code even inside a tokenizer folder', () => {
    for (const path of [
      'model_index.json',
      'transformer/diffusion_pytorch_model-00001-of-00012.safetensors',
      'tokenizer/spiece.model',
      'tokenizer/tokenizer.json',
      'tokenizer/special_tokens_map.json',
      'tokenizer_config.json',
      'merges.txt',
    ]) {
      expect(isAllowed(path), path).toBe(true);
    }
    for (const path of [
      'pipeline.py',
      'tokenizer/evil.py',
      'tokenizer.py',
      'transformer/diffusion_pytorch_model.bin',
      'model.ckpt',
      'README.md',
      'special_tokens/hook.so',
      'tokenizer.bin',
      'special_tokens_map.pkl',
    ]) {
      expect(isAllowed(path), path).toBe(false);
    }
  });
});
