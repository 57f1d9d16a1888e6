import './load-on-use.js';
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { exitOnEnvError, validateAllEnv } from './validate-all.js';
import { queueEnv } from '../platform/queue/queue.env.js';
import { startTracing } from '../platform/tracing/tracing.js';
import { releaseMemoryWhenQuiet } from '../platform/lifecycle/memory-release.js';

async function main(): Promise<void> {
  try {
    validateAllEnv();
    // Only the worker signs burns, so only the worker needs (and checks) the treasury key.
    const { loadTreasurySigner } = await import('../treasury/treasury-keyfile.js');
    await loadTreasurySigner(false);
  } catch (e) {
    exitOnEnvError(e);
  }
  await startTracing('worker');
  const { WorkerModule } = await import('./worker.module.js');
  const { LoggingModule } = await import('../platform/logging/logging.module.js');
  const { Logger } = await import('nestjs-pino');
  const { collectProcessMetrics } = await import('../platform/metrics/registry.js');
  const { startWorkerHealthServer } = await import('../health/worker-health-server.js');
  const { drainWorkerOnSignals } = await import('./shutdown.js');

  @Module({ imports: [LoggingModule.forRole('worker'), WorkerModule] })
  class WorkerRoot {}
  const app = await NestFactory.createApplicationContext(WorkerRoot, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  collectProcessMetrics();
  const env = queueEnv.get();
  const health = env.WORKER_HEALTH_PORT ? await startWorkerHealthServer(app, env.WORKER_HEALTH_PORT, env.WORKER_HEALTH_HOST) : undefined;
  drainWorkerOnSignals(app, env.WORKER_DRAIN_MS, health);
  releaseMemoryWhenQuiet();
  process.stdout.write(`leoma worker started${health ? ` (health on ${env.WORKER_HEALTH_HOST}:${env.WORKER_HEALTH_PORT})` : ''}\n`);
}

void main();
