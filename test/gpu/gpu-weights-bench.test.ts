import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { benchWeightsFetch } from '../../bench/weights-fetch.js';

// The smoke size of `npm run bench:weights` (2 GiB there): the registry process, the chunked-v2
// shards and the verified fetch all work; no assertion on the speed.
it('fetches a small synthetic snapshot from the bench registry in another process', async () => {
  const workDir = await mkdtemp(join(tmpdir(), 'weights-bench-smoke-'));
  try {
    const result = await benchWeightsFetch({ bytes: 48 << 20, workDir });
    expect(result.files).toBe(14);
    expect(result.bytes).toBeGreaterThan(48 << 20);
    expect(result.mbPerSecond).toBeGreaterThan(0);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
});
