import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

export interface StartRedisOptions {
  /** Defaults to a free port on 127.0.0.1. */
  port?: number;
  /**
   * Directory for an append-only file, so queued jobs survive a dev restart. Without it nothing is
   * written to disk, which is what tests want.
   */
  dir?: string;
}

export interface RunningRedis {
  /** e.g. redis://127.0.0.1:6380 */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_CHARS_KEPT = 4_000;

export async function startRedis(options: StartRedisOptions = {}): Promise<RunningRedis> {
  const port = options.port ?? (await freePort());
  const persistence = options.dir ? ['--dir', resolve(options.dir), '--appendonly', 'yes', '--save', ''] : ['--appendonly', 'no', '--save', ''];
  if (options.dir) await mkdir(options.dir, { recursive: true });

  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--daemonize',
      'no',
      // Log to stdout so start-up failures can be reported, not to Debian's /var/log/redis.
      '--logfile',
      '',
      ...persistence,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );

  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-LOG_CHARS_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = new Promise<Error>((resolveExit) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      resolveExit(
        error.code === 'ENOENT'
          ? new Error('redis-server is not installed: run `apt-get install -y redis-server` ' + '(or `bash scripts/ensure-system-deps.sh` as root)')
          : error,
      );
    });
    child.once('exit', (code, signal) => {
      resolveExit(new Error(`redis-server exited during start-up (code ${code}, signal ${signal}):\n${log}`));
    });
  });

  const polling = new AbortController();
  const ready = await Promise.race([waitForPong(port, READY_TIMEOUT_MS, polling.signal), exited]);
  polling.abort();
  if (ready instanceof Error) {
    await terminate(child, STOP_TIMEOUT_MS);
    throw ready;
  }

  // If the process exits without stop() (an uncaught error, process.exit()), still take the server
  // down instead of leaving an orphan holding the port. 'exit' handlers must be synchronous.
  const stopOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', stopOnExit);

  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => {
      process.off('exit', stopOnExit);
      return (stopping ??= terminate(child, STOP_TIMEOUT_MS));
    },
  };
}

/** Resolves true once the server answers PING, or an Error once the deadline passes or on abort. */
async function waitForPong(port: number, timeoutMs: number, signal: AbortSignal): Promise<true | Error> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal.aborted) {
    if (await ping(port)) return true;
    await sleep(20);
  }
  return new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      // While loading a dataset Redis answers -LOADING, which is not ready yet.
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** SIGTERM makes Redis close its listener and exit; SIGKILL only if it hangs. */
async function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exit = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    await exit;
  } finally {
    clearTimeout(timer);
  }
}
