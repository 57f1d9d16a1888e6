import './load-on-use.js';
import 'reflect-metadata';
import { exitOnEnvError, validateAllEnv } from './validate-all.js';
import { appEnv } from '../platform/config/app.env.js';
import { startTracing } from '../platform/tracing/tracing.js';
import { releaseMemoryWhenQuiet } from '../platform/lifecycle/memory-release.js';

async function main(): Promise<void> {
  try {
    validateAllEnv();
  } catch (e) {
    exitOnEnvError(e);
  }
  // Before the app is built, so the context manager is in place for every request.
  await startTracing('api');
  const { createApiApp } = await import('./create-api-app.js');
  const { drainApiOnSignals } = await import('./shutdown.js');
  const app = await createApiApp();
  const env = appEnv.get();
  await app.listen(env.PORT, env.HOST);
  drainApiOnSignals(app, env.API_DRAIN_MS);
  releaseMemoryWhenQuiet();
  process.stdout.write(`leoma api listening on ${await app.getUrl()}\n`);
}

void main();
