import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batch } from '../../src/batches/batch.entity.js';
import { presentBatch } from '../../src/batches/batch.presenter.js';

/**
 * Issue 32: a batch's `estimated_completion_at` updates as it runs — the items still queued or
 * running, `slots` at a time, one mean render each from now — and is null once it has ended.
 */
const NOW = new Date('2026-12-07T03:00:00Z');
const timing = { renderSeconds: 30, slots: 2 };

function batch(counts: Partial<Pick<Batch, 'status' | 'queued' | 'running' | 'succeeded'>>): Batch {
  return Object.assign(new Batch(), {
    id: 'bat_01jd6k3h5q8r2w9x4y7z0a1b2c',
    tenantId: 'ten_1',
    livemode: false,
    status: 'in_progress',
    total: 10,
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    canceled: 0,
    expired: 0,
    metadata: {},
    model: null,
    deliveryTarget: null,
    rejectedRows: [],
    input: { format: 'jsonl' },
    completeBy: null,
    createdAt: new Date(NOW.getTime() - 60_000),
    inProgressAt: null,
    completedAt: null,
    canceledAt: null,
    ...counts,
  });
}

const etaSeconds = (b: Batch) => {
  const eta = presentBatch(b, timing).estimated_completion_at;
  return eta === null ? null : (Date.parse(eta) - NOW.getTime()) / 1000;
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("a batch's ETA", () => {
  it('comes closer as items finish: the ones left, two at a time, one render each', () => {
    expect(etaSeconds(batch({ queued: 8, running: 2 }))).toBe(5 * 30);
    expect(etaSeconds(batch({ queued: 3, running: 2, succeeded: 5 }))).toBe(3 * 30);
    expect(etaSeconds(batch({ queued: 0, running: 1, succeeded: 9 }))).toBe(30);
  });

  it('is null once the batch has ended', () => {
    for (const status of ['completed', 'failed', 'expired', 'canceled'] as const) expect(etaSeconds(batch({ status, succeeded: 10 }))).toBeNull();
  });
});
