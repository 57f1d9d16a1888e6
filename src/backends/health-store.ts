import { Injectable } from '@nestjs/common';
import { BackendsRedis } from './redis-client.js';
import type { HealthAnswer } from './gpu/health-answer.js';
import { backendsEnv } from './backends.env.js';

/** A health answer and when it was taken (`model` absent: the backend does not report one). */
export interface HealthReading extends HealthAnswer {
  checked_at: string;
}

/** Latest health reading per backend, in Redis so the API and every worker see the same. */
@Injectable()
export class HealthStore {
  constructor(private readonly redis: BackendsRedis) {}

  async all(): Promise<Map<string, HealthReading>> {
    const raw = await this.redis.client.hgetall(this.redis.key('health'));
    const staleBefore = Date.now() - 3 * backendsEnv.get().BACKEND_HEALTH_INTERVAL_MS;
    const readings = new Map<string, HealthReading>();
    for (const [id, json] of Object.entries(raw)) {
      const reading = JSON.parse(json) as HealthReading;
      // An old reading says nothing about now; treat the backend as unknown rather than down.
      if (Date.parse(reading.checked_at) >= staleBefore) readings.set(id, reading);
    }
    return readings;
  }

  /** One backend's latest reading, if it is recent. */
  async get(id: string): Promise<HealthReading | undefined> {
    const json = await this.redis.client.hget(this.redis.key('health'), id);
    const reading = json ? (JSON.parse(json) as HealthReading) : undefined;
    return reading && Date.parse(reading.checked_at) >= Date.now() - 3 * backendsEnv.get().BACKEND_HEALTH_INTERVAL_MS ? reading : undefined;
  }

  /** The backends with no recent reading: how they are is not known (a lost report, or never checked), which is not down. */
  async unknown<T extends { id: string }>(backends: T[]): Promise<T[]> {
    if (backends.length === 0) return [];
    const readings = await this.all();
    return backends.filter((b) => !readings.has(b.id));
  }

  async record(id: string, answer: HealthAnswer): Promise<void> {
    const reading: HealthReading = { ...answer, checked_at: new Date().toISOString() };
    await this.redis.client.hset(this.redis.key('health'), id, JSON.stringify(reading));
  }
}
