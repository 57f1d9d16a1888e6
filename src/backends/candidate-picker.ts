import { Injectable } from '@nestjs/common';
import type { BackendError } from './gpu/backend-error.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ConcurrencySlots, type SlotLease } from './concurrency-slots.js';
import { HealthStore } from './health-store.js';
import type { BackendTarget } from './gpu-backend.entity.js';
import type { ModelIdentity } from './gpu/model-identity.js';
import { loadedElsewhere } from './loaded-model.js';
import { reportsReady } from './served-model.js';

export interface Claim {
  backend: BackendTarget;
  lease: SlotLease;
  /** The model its latest health answer says it has loaded; undefined when it does not say (or was not checked lately). */
  loaded: ModelIdentity | null | undefined;
}

// A 409 means "full right now", and a rejected input is ours to fix: neither says the backend is broken.
const BREAKER_FAULTS = new Set(['backend_unavailable', 'backend_timeout', 'output_invalid']);

/** Which backends may take a call now, least loaded first, and the slot that lets one take it. */
@Injectable()
export class CandidatePicker {
  constructor(
    private readonly slots: ConcurrencySlots,
    private readonly breaker: CircuitBreaker,
    private readonly health: HealthStore,
  ) {}

  /**
   * Not reported down or starting, not reporting another model loaded than the one it is registered for (or,
   * registered for none, than the job's `wanted(b)`), breaker not open; ordered by load so work
   * spreads over the pool. With `reporting`, only backends READY (or BUSY) whose health reports that digest.
   */
  async usable(
    backends: BackendTarget[],
    wanted: (b: BackendTarget) => ModelIdentity | undefined = () => undefined,
    reporting?: string,
  ): Promise<BackendTarget[]> {
    if (backends.length === 0) return [];
    const readings = await this.health.all();
    const scored = await Promise.all(
      backends.map(async (b) => {
        const reading = readings.get(b.id);
        if (
          reading?.status === 'down' ||
          reading?.status === 'starting' ||
          loadedElsewhere(b, reading, wanted(b)) ||
          (await this.breaker.state(b.id)) === 'open'
        )
          return null;
        if (reporting !== undefined && !reportsReady(reading, reporting)) return null;
        return { b, load: (await this.slots.inFlight(b.id)) / b.maxConcurrency + Math.random() * 1e-3 };
      }),
    );
    return scored
      .filter((s) => s !== null)
      .sort((x, y) => x.load - y.load)
      .map((s) => s.b);
  }

  /** The backends whose latest health answer reports `model` loaded (by exact digest): the only ones a pinned video may go to. */
  async reporting(backends: BackendTarget[], model: ModelIdentity): Promise<BackendTarget[]> {
    const readings = await this.health.all();
    return backends.filter((b) => readings.get(b.id)?.model?.digest === model.digest && readings.get(b.id)?.model?.repo === model.repo);
  }

  /** The first candidate with a free slot whose breaker admits us; null when all are full. */
  async claim(candidates: BackendTarget[]): Promise<Claim | null> {
    for (const backend of candidates) {
      const lease = await this.slots.acquire(backend.id, backend.maxConcurrency);
      if (!lease) continue;
      if (await this.breaker.admit(backend.id)) return { backend, lease, loaded: (await this.health.get(backend.id))?.model };
      await lease.release();
    }
    return null;
  }

  succeeded(backend: BackendTarget): Promise<void> {
    return this.breaker.success(backend.id);
  }

  async failed(backend: BackendTarget, error: BackendError): Promise<void> {
    if (BREAKER_FAULTS.has(error.code)) await this.breaker.failure(backend.id);
  }
}
