import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { SENTINEL_MASTER, startSentinelSet, type SentinelSet } from '../support/redis-sentinel.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certs.js';

/**
 * Redis over TLS, against Debian's redis-server and redis-sentinel started with `--tls-port` and
 * no plain port (certificates made here with the `openssl` command): a private CA, a server
 * certificate for 127.0.0.1, and a client certificate, which Redis asks for by default
 * (`tls-auth-clients yes`). Every connection (the API's and the worker's commands, BullMQ's queues
 * and workers) goes over TLS: straight to the server with a `rediss://` REDIS_URL, or through
 * sentinels that are themselves TLS-only and name a TLS-only master. A CA that did not sign the
 * server's certificate stops the process at startup with the setting to fix, instead of
 * reconnecting forever.
 */

let certs: TestCertificates;
let set: SentinelSet;
let app: TestApp | undefined;

beforeAll(async () => {
  certs = makeTestCertificates();
  set = await startSentinelSet({ tls: certs, sentinels: 1 });
}, 90_000);
afterAll(async () => {
  await app?.close();
  set?.stop();
  certs?.remove();
});

// startTestApp adds its env to process.env: one test's Sentinel or TLS settings must not reach the next.
beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('REDIS_SENTINEL') || name.startsWith('REDIS_TLS_')) delete process.env[name];
});

const tlsFiles = () => ({ REDIS_TLS_CA_FILE: certs.ca, REDIS_TLS_CERT_FILE: certs.clientCert, REDIS_TLS_KEY_FILE: certs.clientKey });
const direct = () => `rediss://:${set.password}@127.0.0.1:${set.masterPort}/0`;
const throughSentinel = () => ({
  // Host and port are not used with Sentinel; `rediss:` is TLS to the master the sentinels name.
  REDIS_URL: `rediss://:${set.password}@sentinel-named-master/0`,
  REDIS_SENTINELS: set.sentinels,
  REDIS_SENTINEL_MASTER: SENTINEL_MASTER,
  REDIS_SENTINEL_PASSWORD: set.sentinelPassword,
  REDIS_SENTINEL_TLS: 'true',
});

async function videoSucceeds(a: TestApp): Promise<void> {
  const { key } = await a.tenant();
  const res = await a.request('/v1/videos', {
    method: 'POST',
    key,
    json: { prompt: 'over tls', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 },
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect((await waitForStatus(a, key, id, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded');
}

describe('Redis over TLS', () => {
  it('runs a video with every connection on a rediss:// URL to a TLS-only server', async () => {
    app = await startTestApp({ worker: true, env: { REDIS_URL: direct(), ...tlsFiles() } });
    await videoSucceeds(app);
    await app.close();
    app = undefined;
  }, 90_000);

  it('runs a video through TLS-only sentinels naming a TLS-only master', async () => {
    app = await startTestApp({ worker: true, env: { ...throughSentinel(), ...tlsFiles() } });
    await videoSucceeds(app);
    await app.close();
    app = undefined;
  }, 90_000);

  it('stops at startup with the setting to fix when the CA did not sign the server certificate', async () => {
    await expect(startTestApp({ env: { REDIS_URL: direct(), ...tlsFiles(), REDIS_TLS_CA_FILE: certs.otherCa } })).rejects.toThrow(
      /Redis TLS.*not trusted.*REDIS_TLS_CA_FILE/s,
    );
  }, 60_000);

  it('stops at startup the same way when the sentinels’ certificate is not trusted', async () => {
    await expect(startTestApp({ env: { ...throughSentinel(), ...tlsFiles(), REDIS_TLS_CA_FILE: certs.otherCa } })).rejects.toThrow(
      /Redis TLS.*not trusted.*REDIS_TLS_CA_FILE/s,
    );
  }, 60_000);

  it('stops at startup when the server asks for a client certificate and none is set', async () => {
    await expect(startTestApp({ env: { REDIS_URL: direct(), REDIS_TLS_CA_FILE: certs.ca } })).rejects.toThrow(/Redis TLS.*REDIS_TLS_CERT_FILE/s);
  }, 60_000);
});
