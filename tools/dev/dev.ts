import { spawn, type ChildProcess } from 'node:child_process';
import { PRODUCTION_NODE_FLAGS } from './production-node-flags.js';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { privateAncestor, startPostgres } from './embedded-postgres.js';
import { startRedis } from './redis-server.js';
import { startS3 } from './s3-server.js';
import { StopAll, type Stoppable } from './stop-all.js';
import { startReferenceBackend } from '../../gpu/server/server.js';
import { generateKey } from '../../src/core/auth/api-key-format.js';
import { runMigrations } from '../../src/app/database/migrate.js';
import { provisionDemoTenant } from './demo-tenant.js';

const DATA = resolve(process.env.LEOMA_DEV_DATA ?? '.data');
const PORT = Number(process.env.PORT ?? 3000);

interface DevSecrets {
  apiKeyHashSecret: string;
  operatorKey: string;
  demoKey?: string;
  salesKey?: string;
}

/** Secrets live in .data so that keys printed by an earlier run keep working after a restart. */
async function loadSecrets(): Promise<DevSecrets> {
  const file = join(DATA, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as DevSecrets;
  const secrets = { apiKeyHashSecret: randomBytes(32).toString('hex'), operatorKey: generateKey('op') };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
  if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  await client.end();
  return serverUrl.replace(/\/postgres$/, `/${name}`);
}

/** An entry point of the same build as this file (dist/ normally; the tests' own build directory in tests). */
const built = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

function hasExited(child: ChildProcess): boolean {
  // A child killed by a signal has exitCode null and signalCode set.
  return child.exitCode !== null || child.signalCode !== null;
}

function runChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess & Stoppable {
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, '--enable-source-maps', script], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & Stoppable;
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}\n`)
      .join('');
  child.stdout!.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  child.stderr!.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.stop = async () => {
    if (hasExited(child)) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  };
  return child;
}

/** The api and the worker are the service: when either dies on its own, say how and stop the rest. */
function stopAllWhenItDies(services: StopAll, name: string, child: ChildProcess): void {
  child.once('exit', (code, signal) => {
    if (services.isStopping) return;
    console.error(`${name} exited (${signal ? `killed by ${signal}` : `code ${code}`}); stopping everything`);
    void services.stopAll().finally(() => process.exit(1));
  });
}

/**
 * As root PostgreSQL runs as the `postgres` user, which cannot reach a data directory under a
 * private one (root's home is 0700). Its data then lives under /var/tmp, one directory per
 * checkout, so it still survives restarts; LEOMA_DEV_PG_DATA chooses another place.
 */
async function postgresDataDir(): Promise<string> {
  if (process.env.LEOMA_DEV_PG_DATA) return resolve(process.env.LEOMA_DEV_PG_DATA);
  const inData = join(DATA, 'postgres');
  if (process.getuid?.() !== 0 || (await privateAncestor(inData)) === undefined) return inData;
  const dir = join('/var/tmp', `leoma-dev-${createHash('sha256').update(DATA).digest('hex').slice(0, 12)}`);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  return join(dir, 'postgres');
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not become ready at ${url} within ${timeoutMs} ms`);
}

/** Starts the Stripe stand-in from test/support and points the api and worker at it; returns its URL. */
async function startDevStripeStub(services: StopAll, env: NodeJS.ProcessEnv): Promise<string> {
  const { startStripeStub } = await import('../../test/support/stripe-stub/server.js');
  const stub = await services.start(
    'stripe stand-in',
    startStripeStub({ webhookUrl: `http://127.0.0.1:${PORT}/v1/stripe/webhooks` }).then((s) => ({ ...s, stop: s.close })),
  );
  Object.assign(env, {
    ...stub.serviceEnv(),
    BILLING_RETURN_URL: `http://127.0.0.1:${PORT}/docs`,
  });
  return stub.url;
}

async function main(): Promise<void> {
  await mkdir(DATA, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user and must be able to reach its data directory.
  await chmod(DATA, 0o755);
  const services = new StopAll();
  services.exitOnSignals({ onErrors: true });
  const secrets = await loadSecrets();
  const pgData = await postgresDataDir();
  if (pgData !== join(DATA, 'postgres')) console.log(`PostgreSQL data: ${pgData} (${DATA} is not reachable by the postgres user)`);

  const [postgres, redis, s3, backendA, backendB] = await Promise.all([
    services.start('postgres', startPostgres({ dataDir: pgData })),
    services.start('redis', startRedis({ dir: join(DATA, 'redis') })),
    services.start('s3rver', startS3({ dir: join(DATA, 's3') })),
    services.start(
      'reference backend',
      startReferenceBackend({ maxConcurrency: 2 }).then((b) => ({ ...b, stop: b.close })),
    ),
    services.start(
      'reference backend 2',
      startReferenceBackend({ maxConcurrency: 2 }).then((b) => ({ ...b, stop: b.close })),
    ),
  ]);
  const databaseUrl = await ensureDatabase(postgres.url, 'leoma');
  const applied = await runMigrations(databaseUrl);
  console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database is up to date');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    S3_BUCKET: 'leoma-dev',
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_CREATE_BUCKET: 'true',
    API_KEY_HASH_SECRET: secrets.apiKeyHashSecret,
    BOOTSTRAP_OPERATOR_KEY: secrets.operatorKey,
    // Both reference backends serve the default model, so dev exercises spreading and failover.
    GPU_BACKENDS: JSON.stringify([
      { id: 'ref_a', url: backendA.url, max_concurrency: 2 },
      { id: 'ref_b', url: backendB.url, max_concurrency: 2 },
    ]),
    ALLOW_PRIVATE_IMAGE_URLS: 'true',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  };
  // STRIPE_STUB=1: billing against the tests' local Stripe stand-in, so checkout can be clicked through offline.
  const stripeStub = process.env.STRIPE_STUB === '1' ? await startDevStripeStub(services, env) : null;
  const api = await services.start('api', Promise.resolve(runChild('api', built('src/app/main-api.js'), env)));
  stopAllWhenItDies(services, 'api', api);
  const worker = await services.start('worker', Promise.resolve(runChild('worker', built('src/app/main-worker.js'), env)));
  stopAllWhenItDies(services, 'worker', worker);
  const url = `http://127.0.0.1:${PORT}`;
  await waitReady(url, 60_000);

  const { demoKey: demo, salesKey } = await provisionDemoTenant(url, secrets.operatorKey, secrets);
  if (demo !== secrets.demoKey || salesKey !== secrets.salesKey) {
    await writeFile(join(DATA, 'secrets.json'), JSON.stringify({ ...secrets, demoKey: demo, salesKey }, null, 2), { mode: 0o600 });
  }
  if (stripeStub) {
    const sync = await fetch(`${url}/v1/admin/billing/sync-catalog`, { method: 'POST', headers: { authorization: `Bearer ${secrets.operatorKey}` } });
    if (!sync.ok) throw new Error(`catalogue sync against the Stripe stand-in failed: ${sync.status} ${await sync.text()}`);
  }
  const image = join(DATA, 'demo.png');
  if (!existsSync(image)) {
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1024x576:rate=1', '-frames:v', '1', image]);
  }
  console.log(`
Leoma API is running (api + worker, reference GPU backends at ${backendA.url} and ${backendB.url}).
  API       ${url}
  Docs      ${url}/docs
  Demo key  ${demo}  (test mode)
  Operator  ${secrets.operatorKey}  (bootstrap admin; dev only)
  Sales     ${salesKey}  (provisions tenants)
  Services  postgres 127.0.0.1:${postgres.port} (data ${pgData}), redis ${redis.url}, s3 ${s3.endpoint}

Paste this into another terminal, then follow the README's Quickstart:
  export LEOMA_API_URL=${url} LEOMA_API_KEY=${demo} LEOMA_DEMO_IMAGE=${image}

Make a video:
  curl -s "$LEOMA_API_URL/v1/videos" -H "Authorization: Bearer $LEOMA_API_KEY" -F prompt="slow push-in on the test card" -F duration_seconds=5 -F image=@"$LEOMA_DEMO_IMAGE"
Provision a customer with the CLI:
  LEOMA_API_KEY=${salesKey} npm run -s leoma -- tenants create --name Acme --plan enterprise --limit concurrent_videos=100

${
  stripeStub
    ? `Billing runs against a local Stripe stand-in at ${stripeStub}. Subscribe and click through checkout:
  curl -s "$LEOMA_API_URL/v1/billing/checkout" -H "Authorization: Bearer $LEOMA_API_KEY" -H 'content-type: application/json' -d '{"plan":"pro"}'
  (open the returned url, press Pay), then: curl -s "$LEOMA_API_URL/v1/billing" -H "Authorization: Bearer $LEOMA_API_KEY"
`
    : 'Billing is off (no Stripe); STRIPE_STUB=1 npm run dev runs it against a local stand-in.\n'
}
Ctrl-C stops everything this command started.
`);
}

main().catch((e: Error) => {
  console.error(`dev: ${e.stack ?? e.message}`);
  process.kill(process.pid, 'SIGTERM');
});
