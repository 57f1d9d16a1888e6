import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One event line from the Python worker (gpu/worker/leoma_worker/__main__.py lists them). */
export interface WorkerEvent {
  event: 'hello' | 'loaded' | 'progress' | 'done' | 'canceled' | 'error';
  id?: string;
  [field: string]: unknown;
}

export interface WorkerSpawn {
  python: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

const STDERR_TAIL_LINES = 40;
const MAX_EVENT_LINE = 1024 * 1024;

/**
 * The Python worker as a child process: JSON lines in, JSON lines out, its stderr kept (the last
 * lines, for the error a crash is reported with) and passed to `log`.
 */
export class WorkerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly listeners = new Set<(event: WorkerEvent) => void>();
  private readonly stderrTail: string[] = [];
  /** Settles with the exit code (or signal name) when the process ends, for whatever reason. */
  readonly exited: Promise<string>;
  private exitedWith: string | null = null;

  constructor(how: WorkerSpawn, log: (line: string) => void) {
    this.child = spawn(how.python, how.args, { env: how.env, cwd: how.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitedWith = signal ?? `code ${code}`;
        resolve(this.exitedWith);
      });
      // A spawn failure (no python3) emits 'error' and no 'exit'.
      this.child.once('error', (err) => {
        this.exitedWith = `spawn failed: ${err.message}`;
        resolve(this.exitedWith);
      });
    });
    // stdin closing under us (the worker died) must not crash the server.
    this.child.stdin.on('error', () => {});
    createInterface({ input: this.child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      log(line);
    });
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      if (line.length > MAX_EVENT_LINE) return;
      let event: WorkerEvent;
      try {
        event = JSON.parse(line) as WorkerEvent;
      } catch {
        log(`worker wrote a line that is not JSON: ${line.slice(0, 200)}`);
        return;
      }
      for (const listener of [...this.listeners]) listener(event);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitedWith === null;
  }

  send(message: Record<string, unknown>): void {
    if (this.alive) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** Resolves with the first event `pick` maps to a value; rejects when the process exits first. */
  waitFor<T>(pick: (event: WorkerEvent) => T | undefined, onOther?: (event: WorkerEvent) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const listener = (event: WorkerEvent) => {
        const value = pick(event);
        if (value === undefined) return onOther?.(event);
        this.listeners.delete(listener);
        resolve(value);
      };
      this.listeners.add(listener);
      void this.exited.then((how) => {
        if (!this.listeners.delete(listener)) return;
        reject(new WorkerExited(how, this.stderrTail.slice(-5).join(' | ')));
      });
    });
  }

  /** Asks the worker to stop, then kills it if it has not within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.alive) return;
    this.send({ op: 'shutdown' });
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }
}

export class WorkerExited extends Error {
  constructor(
    readonly how: string,
    stderrTail: string,
  ) {
    super(`the Wan worker exited (${how})${stderrTail ? `; its last words: ${stderrTail}` : ''}`);
    this.name = 'WorkerExited';
  }
}
