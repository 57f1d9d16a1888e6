import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { exitOnEnvError, validateAllEnv } from './validate-all.js';

async function main(): Promise<void> {
  try {
    validateAllEnv();
  } catch (e) {
    exitOnEnvError(e);
  }
  const { WorkerModule } = await import('./worker.module.js');
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  process.stdout.write('leoma worker started\n');
}

void main();
