import 'reflect-metadata';
import { exitOnEnvError, validateAllEnv } from './validate-all.js';
import { appEnv } from '../platform/config/app.env.js';

async function main(): Promise<void> {
  try {
    validateAllEnv();
  } catch (e) {
    exitOnEnvError(e);
  }
  const { createApiApp } = await import('./create-api-app.js');
  const app = await createApiApp();
  const env = appEnv.get();
  await app.listen(env.PORT, env.HOST);
  process.stdout.write(`leoma api listening on ${await app.getUrl()}\n`);
}

void main();
