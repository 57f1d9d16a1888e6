import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../tools/dev/embedded-postgres.js';
import { startRedis } from '../../tools/dev/redis-server.js';
import { startS3 } from '../../tools/dev/s3-server.js';
import { StopAll } from '../../tools/dev/stop-all.js';
import { runMigrations } from '../../src/app/database/migrate.js';
import { MIGRATED_TEMPLATE, withAdminClient } from './pg-admin.js';

/**
 * One PostgreSQL, one Redis and one s3rver for the whole run; test files isolate themselves on
 * them with test/support/isolation.ts, which is much cheaper than a server per file.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'leoma-test-'));
  // mkdtemp makes the directory private; as root, PostgreSQL runs as the postgres user and must
  // be able to walk through it to its data directory.
  await chmod(root, 0o755);

  const buildDir = join(process.cwd(), '.build', `suite-${process.pid}`);
  const services = new StopAll();
  const removeSignalHandlers = services.exitOnSignals();
  const teardown = async (): Promise<void> => {
    try {
      await services.stopAll();
    } finally {
      removeSignalHandlers();
      await rm(root, { recursive: true, force: true });
      for (const path of [buildDir, `${buildDir}.lock`, `${buildDir}.verdict`]) await rm(path, { recursive: true, force: true });
    }
  };

  try {
    const timed = <T>(starting: Promise<T>): Promise<[T, number]> => {
      const began = performance.now();
      return starting.then((service) => [service, Math.round(performance.now() - began)]);
    };
    const [[postgres, postgresMs], [redis, redisMs], [s3, s3Ms]] = await Promise.all([
      timed(services.start('postgres', startPostgres({ dataDir: join(root, 'postgres'), fast: true }))),
      timed(services.start('redis', startRedis())),
      timed(services.start('s3rver', startS3({ dir: join(root, 's3') }))),
    ]);
    console.log(`local services up: postgres ${postgresMs} ms, redis ${redisMs} ms, s3rver ${s3Ms} ms`);

    // Migrated once here; each app's database is a copy of it (CREATE DATABASE … TEMPLATE), which
    // costs a file copy instead of running every migration again in every test file.
    const began = performance.now();
    await withAdminClient(postgres.url, (client) => client.query(`CREATE DATABASE ${MIGRATED_TEMPLATE}`));
    const template = new URL(postgres.url);
    template.pathname = `/${MIGRATED_TEMPLATE}`;
    await runMigrations(template.toString());
    console.log(`migrated template database: ${Math.round(performance.now() - began)} ms`);

    project.provide('pgUrl', postgres.url);
    project.provide('redisUrl', redis.url);
    // Inside the repository so the build resolves node_modules; removed with the run.
    project.provide('buildDir', buildDir);
    project.provide('s3', {
      endpoint: s3.endpoint,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
  } catch (error) {
    // Report the start failure, not a follow-up failure to stop what did start.
    await teardown().catch((stopError: unknown) => console.error('cleanup after failed start:', stopError));
    throw error;
  }
  return teardown;
}
