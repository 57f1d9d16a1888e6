import { connect, type ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import { connectionFromUrl, tlsFiles } from './redis-connection.js';
import type { redisEnv } from './redis.env.js';

/** How long one endpoint gets to answer the check; one that does not is left to the connections' own retries. */
const CHECK_TIMEOUT_MS = 5_000;

/** Node's codes for a server certificate it does not accept. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Refuses to start on a TLS setup that can never work: a server (or sentinel) certificate the CA
 * does not vouch for, a server that wants a client certificate we do not present, a port that does
 * not speak TLS. ioredis meets each of these with endless reconnection attempts (through Sentinel
 * without even the reason: "Connection is closed"), so the process would start and hang on its
 * first command. Each endpoint TLS is configured for gets one handshake and one PING; an endpoint
 * that is down or does not answer is not a configuration error and is left to the reconnects.
 */
export async function checkRedisTls(env: ReturnType<typeof redisEnv.get>): Promise<void> {
  const files = tlsFiles(env);
  const url = connectionFromUrl(env.REDIS_URL);
  if (!env.REDIS_SENTINELS) {
    if (url.tls) await checkEndpoint(url.host, url.port, files, 'REDIS_URL');
    return;
  }
  if (env.REDIS_SENTINEL_TLS) for (const s of env.REDIS_SENTINELS) await checkEndpoint(s.host, s.port, files, 'REDIS_SENTINELS');
  if (!url.tls) return;
  const master = await masterOf(env, files);
  if (master) await checkEndpoint(master.host, master.port, files, `the master sentinels name for ${env.REDIS_SENTINEL_MASTER}`);
}

async function checkEndpoint(host: string, port: number, files: ConnectionOptions, named: string): Promise<void> {
  const found = await handshake({ host, port, ...files, servername: isIp(host) ? undefined : host });
  if (!found) return;
  const problem = { ...found, message: found.message.trim() };
  const where = `Redis TLS: ${host}:${port} (${named})`;
  if ('code' in problem && UNTRUSTED.has(problem.code))
    throw new Error(
      `${where}: its certificate is not trusted (${problem.message}). REDIS_TLS_CA_FILE must name the CA that signed it, and the certificate must be for ${host}.`,
    );
  if ('code' in problem && problem.code === 'ERR_SSL_WRONG_VERSION_NUMBER')
    throw new Error(`${where} does not speak TLS on that port (${problem.message}): use its TLS port, or redis:// and REDIS_SENTINEL_TLS=false for plain TCP.`);
  throw new Error(
    `${where} closed the connection after the TLS handshake (${problem.message}): it asks for a client certificate. Set REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE to one signed by a CA it trusts.`,
  );
}

type Problem = { code: string; message: string } | { afterHandshake: true; message: string };

/** One handshake and a PING: any reply (PONG, or NOAUTH before AUTH) proves TLS works; null as well when the endpoint is down. */
function handshake(options: ConnectionOptions): Promise<Problem | null> {
  return new Promise((resolve) => {
    let secure = false;
    const socket = connect(options);
    const done = (problem: Problem | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => done(null), CHECK_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      secure = true;
      socket.write('PING\r\n');
    });
    socket.once('data', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? '';
      if (secure || code === 'ECONNRESET') done({ afterHandshake: true, message: e.message });
      else if (UNTRUSTED.has(code) || code.startsWith('ERR_SSL_')) done({ code, message: e.message });
      // Refused, unreachable, not resolved: down, not misconfigured.
      else done(null);
    });
    socket.once('close', () => done(secure ? { afterHandshake: true, message: 'closed without a reply' } : null));
  });
}

/** Where the sentinels say the master is (they passed their own check); null when none answers. */
async function masterOf(env: ReturnType<typeof redisEnv.get>, files: ConnectionOptions): Promise<{ host: string; port: number } | null> {
  for (const s of env.REDIS_SENTINELS ?? []) {
    const client = new Redis({
      host: s.host,
      port: s.port,
      username: env.REDIS_SENTINEL_USERNAME,
      password: env.REDIS_SENTINEL_PASSWORD,
      tls: env.REDIS_SENTINEL_TLS ? files : undefined,
      lazyConnect: true,
      connectTimeout: CHECK_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const reply = (await client.call('SENTINEL', 'get-master-addr-by-name', env.REDIS_SENTINEL_MASTER)) as [string, string] | null;
      if (reply) return { host: reply[0], port: Number(reply[1]) };
    } catch {
      // The next sentinel, or the connections' own retries.
    } finally {
      client.disconnect();
    }
  }
  return null;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
