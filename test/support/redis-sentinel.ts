import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../tools/dev/free-port.js';
import { until } from './until.js';
import type { TestCertificates } from './tls-certs.js';

export const SENTINEL_MASTER = 'leoma';

/** A Redis master, one replica and Debian's `redis-sentinel`s watching them, every one password-protected, on 127.0.0.1. */
export interface SentinelSet {
  /** The password of the master and replica (REDIS_URL's). */
  password: string;
  /** The sentinels' own password (REDIS_SENTINEL_PASSWORD). */
  sentinelPassword: string;
  /** `127.0.0.1:port,…` for REDIS_SENTINELS. */
  sentinels: string;
  masterPort: number;
  replicaPort: number;
  /** Where the sentinels say the master is now. */
  currentMasterPort(): Promise<number>;
  /** SIGKILL of the master, as a lost node (no shutdown, no last replication). */
  killMaster(): void;
  stop(): void;
}

const PASSWORD = 'master-password-0123456789';
const SENTINEL_PASSWORD = 'sentinel-password-0123456789';

/**
 * Starts the set and waits until the replica is in sync and every sentinel knows the replica and
 * the other sentinels: only then can a failover happen. The sentinels call a master dead after
 * `downAfterMs` without an answer (quorum: a majority of them).
 */
export async function startSentinelSet(opts: { sentinels?: number; downAfterMs?: number; tls?: TestCertificates } = {}): Promise<SentinelSet> {
  const count = opts.sentinels ?? 3;
  const tls = opts.tls;
  // With `tls`, every server and sentinel listens on a TLS port only (no plain one), asks clients
  // for a certificate of the CA (Redis' default `tls-auth-clients yes`), and replicates and
  // monitors over TLS.
  const tlsArgs = tls ? ['--tls-cert-file', tls.serverCert, '--tls-key-file', tls.serverKey, '--tls-ca-cert-file', tls.ca, '--tls-replication', 'yes'] : [];
  const portArgs = (port: number) => (tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)]);
  const ask = (port: number, command: string[], password?: string) => askServer(port, command, password, tls);
  const dir = mkdtempSync(join(tmpdir(), 'leoma-sentinel-'));
  const children: ChildProcess[] = [];
  let master: ChildProcess | undefined;
  const run = (command: string, args: string[]): ChildProcess => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (c: Buffer) => (log = (log + c.toString()).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw new Error(`${command} is not installed: run \`bash scripts/ensure-system-deps.sh\` as root`);
    });
    child.once('exit', (code, signal) => {
      if (!stopped && child !== master && !lostPort.has(child))
        process.stderr.write(`${command} ${args[0]} exited (code ${code}, signal ${signal}):\n${log}\n`);
    });
    logs.set(child, () => log);
    children.push(child);
    return child;
  };
  const logs = new Map<ChildProcess, () => string>();
  /** Children that lost their port to another process between freePort() and their bind (started again elsewhere). */
  const lostPort = new Set<ChildProcess>();
  /**
   * Starts a server on a free port and waits until it listens. Other processes on the machine take
   * ports too (every outgoing connection gets one of the same range): a server that finds its port
   * taken is started again on another, rather than leaving the set one sentinel short.
   */
  const listening = async (start: (port: number) => ChildProcess): Promise<{ port: number; child: ChildProcess }> => {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = start(port);
      const exited = new Promise<'exited'>((r) => child.once('exit', () => r('exited')));
      const up = until(`port ${port} to listen`, () => accepts(port), 30_000, 50).then(() => 'up' as const);
      if ((await Promise.race([up, exited])) === 'up') return { port, child };
      if (attempt < 5 && /Address already in use/.test(logs.get(child)!())) {
        lostPort.add(child);
        continue;
      }
      stopped = true;
      for (const c of children) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${child.spawnargs.join(' ')} did not start:\n${logs.get(child)!()}`);
    }
  };
  let stopped = false;
  const server = (port: number, extra: string[]) =>
    run('redis-server', [
      ...portArgs(port),
      '--bind',
      '127.0.0.1',
      '--logfile',
      '',
      '--save',
      '',
      '--appendonly',
      'no',
      // A replica writes the master's snapshot to disk while syncing: into the temporary directory.
      '--dir',
      dir,
      '--requirepass',
      PASSWORD,
      '--masterauth',
      PASSWORD,
      ...tlsArgs,
      ...extra,
    ]);
  const started = await listening((port) => server(port, []));
  const masterPort = started.port;
  master = started.child;
  const { port: replicaPort } = await listening((port) => server(port, ['--replicaof', '127.0.0.1', String(masterPort)]));
  const sentinelPorts: number[] = [];
  for (let i = 0; i < count; i++) {
    const conf = join(dir, `sentinel-${i}.conf`);
    const { port } = await listening((port) => {
      // Sentinel rewrites its own file as it learns the set, so each gets one in the temporary directory.
      writeFileSync(
        conf,
        [
          ...(tls
            ? [
                'port 0',
                `tls-port ${port}`,
                `tls-cert-file ${tls.serverCert}`,
                `tls-key-file ${tls.serverKey}`,
                `tls-ca-cert-file ${tls.ca}`,
                'tls-replication yes',
              ]
            : [`port ${port}`]),
          'bind 127.0.0.1',
          'daemonize no',
          'logfile ""',
          `dir ${dir}`,
          `requirepass ${SENTINEL_PASSWORD}`,
          `sentinel sentinel-pass ${SENTINEL_PASSWORD}`,
          `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${masterPort} ${Math.floor(count / 2) + 1}`,
          `sentinel auth-pass ${SENTINEL_MASTER} ${PASSWORD}`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER} ${opts.downAfterMs ?? 1000}`,
          `sentinel failover-timeout ${SENTINEL_MASTER} 10000`,
          '',
        ].join('\n'),
      );
      return run('redis-sentinel', [conf]);
    });
    sentinelPorts.push(port);
  }
  const set: SentinelSet = {
    password: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    masterPort,
    replicaPort,
    async currentMasterPort() {
      const [, port] = (await ask(sentinelPorts[0]!, ['SENTINEL', 'get-master-addr-by-name', SENTINEL_MASTER])) as [string, string];
      return Number(port);
    },
    killMaster: () => master!.kill('SIGKILL'),
    stop() {
      stopped = true;
      for (const c of children) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  process.once('exit', () => set.stop());
  try {
    await until(
      'the replica in sync',
      async () => /master_link_status:up/.test(String(await ask(replicaPort, ['INFO', 'replication'], PASSWORD))),
      60_000,
      200,
    );
    for (const port of sentinelPorts) {
      await until(
        `sentinel ${port} to know the replica and the other sentinels`,
        async () => {
          const replicas = (await ask(port, ['SENTINEL', 'replicas', SENTINEL_MASTER])) as unknown[] | undefined;
          const others = (await ask(port, ['SENTINEL', 'sentinels', SENTINEL_MASTER])) as unknown[] | undefined;
          return replicas?.length === 1 && others?.length === count - 1;
        },
        60_000,
        200,
      );
    }
  } catch (e) {
    set.stop();
    throw e;
  }
  return set;
}

/** Whether something accepts TCP connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One command on a fresh connection; undefined while the server does not answer. */
async function askServer(port: number, command: string[], password = SENTINEL_PASSWORD, tls?: TestCertificates): Promise<unknown> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    tls: tls && { ca: readFileSync(tls.ca), cert: readFileSync(tls.clientCert), key: readFileSync(tls.clientKey) },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command[0]!, ...command.slice(1));
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}
