import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedis, type RunningRedis } from '../../tools/dev/redis-server.js';

/** A Redis of one test file's own, which it may kill and bring back. */
export interface KillableRedis {
  /** The same URL (same port) across restarts. */
  readonly url: string;
  /** SIGKILL, as a crash: no shutdown save, only what its append-only file holds survives. */
  kill(): Promise<void>;
  /** Back on the same port from its append-only file, as production runs it. */
  restart(): Promise<void>;
  /** Stops it (if running) and removes its files. */
  close(): Promise<void>;
}

export async function startKillableRedis(): Promise<KillableRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'leoma-redis-'));
  let redis: RunningRedis | undefined = await startRedis({ dir });
  const { url, port } = redis;
  return {
    url,
    async kill() {
      const probe = new Redis(url);
      const pid = Number(/process_id:(\d+)/.exec(await probe.info('server'))![1]);
      probe.disconnect();
      process.kill(pid, 'SIGKILL');
      await redis?.stop();
      redis = undefined;
    },
    async restart() {
      redis = await startRedis({ dir, port });
    },
    async close() {
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
