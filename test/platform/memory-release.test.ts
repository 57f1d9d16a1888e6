import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { releaseMemoryWhenQuiet } from '../../src/platform/lifecycle/memory-release.js';

// Issue 36: V8 keeps its young generation at the size the busiest moment needed; the api and the
// worker hand it back once ready (and when quiet after load) instead of idling with it resident.
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.physical_space_size;

describe('releasing memory', () => {
  it('gives the young generation back once the process is ready', () => {
    // Start-up in small: many short-lived objects grow the young generation.
    const kept: object[] = [];
    for (let i = 0; i < 2_000_000; i++) kept[i % 1000] = { i, s: `x${i}` };
    const grown = newSpace();
    releaseMemoryWhenQuiet();
    expect(newSpace()).toBeLessThan(grown);
    expect(kept).toHaveLength(1000);
  });
});
