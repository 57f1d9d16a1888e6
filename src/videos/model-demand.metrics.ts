import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { In, type Repository } from 'typeorm';
import { metricsRegistry } from '../platform/metrics/registry.js';
import { ModelRanking, type RankedModel } from '../miners/index.js';
import { ModelSlots } from '../backends/index.js';
import { Video } from './video.entity.js';

type Reading = { model: string; demand: number; slots: number }[];
let source: ModelDemandGauges | undefined;

const gauge = (name: string, help: string, value: (r: Reading[number]) => number) =>
  new Gauge({
    name,
    help,
    labelNames: ['model'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      // A store down: this series is left out of the scrape rather than failing every series with it.
      for (const r of (await source?.read().catch(() => undefined)) ?? []) this.set({ model: r.model }, value(r));
    },
  });

// Models are the ranking's (a bounded few): the king, and any other ranked model with backends.
gauge(
  'leoma_model_demand',
  'Live videos wanting a model: queued (batch items not yet handed to the queue included) + in flight. KEDA scales GPU backends on it.',
  (r) => r.demand,
);
gauge('leoma_model_slots', 'Videos the live backends taking a model can run at once (sum of their max_concurrency).', (r) => r.slots);
gauge(
  'leoma_model_demand_ratio',
  'leoma_model_demand / leoma_model_slots: above 1, videos wait for a GPU; +Inf when a model is wanted and no backend takes it.',
  (r) => (r.slots > 0 ? r.demand / r.slots : r.demand > 0 ? Infinity : 0),
);

export const modelKey = (m: RankedModel) => (m.model_revision ? `${m.model}@${m.model_revision}` : m.model);

/**
 * Demand per model, from PostgreSQL (every video, in any replica's queue or still in its batch)
 * and the pool's slots. Every live video is rendered by the king today, so the king carries all of
 * it. Read at scrape time by whichever process is scraped, the same answer in each (hence `max`).
 */
@Injectable()
export class ModelDemandGauges implements OnModuleInit, OnModuleDestroy {
  private pending: Promise<Reading> | undefined;

  constructor(
    @InjectRepository(Video) private readonly videos: Repository<Video>,
    private readonly ranking: ModelRanking,
    private readonly slots: ModelSlots,
  ) {}

  onModuleInit(): void {
    source = this;
  }

  onModuleDestroy(): void {
    if (source === this) source = undefined;
  }

  /** One read serves the three gauges of a scrape. */
  read(): Promise<Reading> {
    this.pending ??= this.load()
      .catch(() => [])
      .finally(() => setTimeout(() => (this.pending = undefined), 1000).unref());
    return this.pending;
  }

  private async load(): Promise<Reading> {
    const models = distinct((await this.ranking.current()).entries);
    if (models.length === 0) return [];
    const [open, slots] = await Promise.all([
      this.videos.count({ where: { livemode: true, status: In(['queued', 'running']) } }),
      this.slots.forModels(models),
    ]);
    return models.map((m, i) => ({ model: modelKey(m), demand: i === 0 ? open : 0, slots: slots[i]! })).filter((r, i) => i === 0 || r.slots > 0);
  }
}

function distinct(models: RankedModel[]): RankedModel[] {
  const seen = new Set<string>();
  return models.filter((m) => !seen.has(modelKey(m)) && seen.add(modelKey(m)));
}
