import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { BackendPool } from './backend-pool.service.js';
import { HealthStore, type HealthReading } from './health-store.js';
import { ConcurrencySlots } from './concurrency-slots.js';
import { GpuBackend, type BackendTarget } from './gpu-backend.entity.js';
import { assertBackendUrlAllowed } from './backend-url-check.js';

export interface FleetMember {
  backend: BackendTarget;
  /** Latest recent health reading; undefined when there is none. */
  reading: HealthReading | undefined;
  inFlight: number;
}

/** Every live backend with what it last reported and how many calls it runs: what the rollout reconciles against. */
@Injectable()
export class BackendFleet {
  constructor(
    @InjectRepository(GpuBackend) private readonly rows: Repository<GpuBackend>,
    private readonly pool: BackendPool,
    private readonly health: HealthStore,
    private readonly slots: ConcurrencySlots,
  ) {}

  async members(): Promise<FleetMember[]> {
    const [targets, readings] = await Promise.all([this.pool.targets(true), this.health.all()]);
    return Promise.all(targets.map(async (backend) => ({ backend, reading: readings.get(backend.id), inFlight: await this.slots.inFlight(backend.id) })));
  }

  /** Registers backends an actuator made for a digest; one already registered under that name and digest is left as it is (asked again after a crash). */
  async register(model: { repo: string; digest: string }, backends: { name: string; url: string; maxConcurrency: number }[]): Promise<void> {
    for (const b of backends) {
      if (await this.rows.existsBy({ name: b.name, model: model.repo, modelRevision: model.digest })) continue;
      await assertBackendUrlAllowed(b.url);
      await this.rows.insert({
        id: newId('backend'),
        name: b.name,
        url: b.url,
        protocol: 'cog',
        model: model.repo,
        modelRevision: model.digest,
        maxConcurrency: b.maxConcurrency,
        authHeader: null,
        enabled: true,
      });
    }
  }

  /** A retired digest's registrations stop taking work (kept as the record of what served). */
  async disableDigest(model: { repo: string; digest: string }): Promise<void> {
    await this.rows.update({ model: model.repo, modelRevision: model.digest, enabled: true }, { enabled: false });
  }
}
