import { StorageUnavailable } from './storage-unavailable.js';

const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 5_000;

/**
 * Runs `fn`, and again with backoff (0.5 s doubling to 5 s) for as long as it fails with
 * StorageUnavailable and `deadline` (epoch ms) has not passed; any other error, or the outage
 * outlasting the deadline, is thrown. For work that is expensive to redo: a rendered video whose
 * upload hits a storage outage is kept and uploaded when the store is back, rather than failing
 * the attempt and rendering it again.
 */
export async function whileStorageUnavailable<T>(
  fn: () => Promise<T>,
  deadline: number,
  onWait?: (error: StorageUnavailable, waitedMs: number) => void,
  /** Asked before each pause: an error it returns (the work was canceled meanwhile) ends the wait with that error. */
  stop?: () => Promise<Error | undefined>,
): Promise<T> {
  const started = Date.now();
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof StorageUnavailable) || Date.now() + pause > deadline) throw e;
      const reason = await stop?.();
      if (reason) throw reason;
      onWait?.(e, Date.now() - started);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }
}
