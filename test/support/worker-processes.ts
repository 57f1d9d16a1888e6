import type { ChildProcess } from 'node:child_process';
import { spawnBuilt } from './shared-build.js';

/**
 * Locks and stall checks short enough that a job whose worker was SIGKILLed is taken over within
 * seconds (production keeps BullMQ's 30 s): for tests that kill workers on purpose.
 */
export const QUICK_TAKEOVER_ENV = { WORKER_LOCK_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' };

/** Real worker processes of the shared build, as pods run them, on the calling file's database, queue prefix and bucket. */
export class WorkerProcesses {
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly build: string) {}

  async start(): Promise<ChildProcess> {
    const { child } = await spawnBuilt(this.build, 'src/app/main-worker.js', 'leoma worker started');
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  /** SIGKILL, as a node losing its pod; resolves once the process is gone. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL');
  }

  get alive(): ChildProcess[] {
    return [...this.running];
  }
}
