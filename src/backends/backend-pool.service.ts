import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GpuBackend, type BackendTarget } from './gpu-backend.entity.js';
import { backendsEnv, type ConfigBackend } from './backends.env.js';
import { appEnv } from '../platform/config/app.env.js';
import { modelsEnv } from '../miners/index.js';

/**
 * Every backend that may take work: for live videos the configured ones and the enabled rows
 * operators registered; for test-mode videos the sandbox pool (SANDBOX_GPU_BACKENDS) only.
 */
@Injectable()
export class BackendPool {
  constructor(@InjectRepository(GpuBackend) private readonly rows: Repository<GpuBackend>) {}

  async targets(livemode = true): Promise<BackendTarget[]> {
    if (!livemode) {
      const sandbox = sandboxTargets();
      if (sandbox.length > 0 || appEnv.get().NODE_ENV === 'production') return sandbox;
    }
    const registered = await this.rows.find({ where: { enabled: true }, order: { id: 'ASC' } });
    return [...configTargets(), ...registered.map(fromRow)];
  }
}

export function sandboxTargets(): BackendTarget[] {
  return toTargets(backendsEnv.get().SANDBOX_GPU_BACKENDS);
}

function toTargets(list: ConfigBackend[]): BackendTarget[] {
  const topModel = modelsEnv.get().MODEL_RANKING[0]!.model;
  return list.map((b) => ({
    id: b.id,
    url: b.url,
    protocol: b.protocol,
    model: b.model ?? topModel,
    modelRevision: b.model_revision,
    maxConcurrency: b.max_concurrency,
    authHeader: b.auth_header,
    source: 'config',
  }));
}

export function configTargets(): BackendTarget[] {
  const env = backendsEnv.get();
  const topModel = modelsEnv.get().MODEL_RANKING[0]!.model;
  const listed: BackendTarget[] = [...toTargets(env.GPU_BACKENDS)];
  if (env.GPU_BACKEND_URL) {
    listed.push({ id: 'cfg_default', url: env.GPU_BACKEND_URL, protocol: 'cog', model: topModel, modelRevision: null, maxConcurrency: env.GPU_BACKEND_MAX_CONCURRENCY, authHeader: null, source: 'config' });
  }
  return listed;
}

export const fromRow = (b: GpuBackend): BackendTarget => ({
  id: b.id,
  url: b.url,
  protocol: b.protocol,
  model: b.model,
  modelRevision: b.modelRevision,
  maxConcurrency: b.maxConcurrency,
  authHeader: b.authHeader,
  source: 'api',
});
