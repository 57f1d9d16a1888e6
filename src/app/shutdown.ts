import type { Server } from 'node:http';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Draining } from '../platform/lifecycle/draining.js';
import { WorkerDrain } from '../platform/queue/worker-drain.js';
import { stopTracing } from '../platform/tracing/tracing.js';

const logger = new Logger('Shutdown');
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Runs `drain` once on the first SIGTERM/SIGINT, then exits; a second signal exits at once. */
function onSignals(drain: (signal: string) => Promise<void>): void {
  let started = false;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (started) {
        logger.warn(`${signal} again: exiting without waiting`);
        process.exit(1);
      }
      started = true;
      drain(signal).then(
        () => process.exit(0),
        (e: Error) => {
          logger.error(`shutdown failed: ${e.stack ?? e.message}`);
          process.exit(1);
        },
      );
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The API on SIGTERM: readiness turns 503 and event streams end with their retry hint; the
 * listener closes (no new connections), idle keep-alive connections are closed as they go idle,
 * and in-flight requests get `deadlineMs` to finish; then the app closes (database, Redis) and the
 * process exits. Kubernetes' preStop sleep has already taken the pod out of the Service by then.
 */
export function drainApiOnSignals(app: NestExpressApplication, deadlineMs: number): void {
  onSignals(async (signal) => {
    logger.log(`${signal}: draining (deadline ${deadlineMs} ms)`);
    app.get(Draining).begin();
    const server = app.getHttpServer() as Server;
    const closed = new Promise<boolean>((resolve) => server.close(() => resolve(true)));
    // A keep-alive connection between requests would hold close() open; close each as it goes idle.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    const inTime = await Promise.race([closed, sleep(deadlineMs).then(() => false)]);
    clearInterval(idle);
    if (!inTime) {
      logger.warn('drain deadline passed: closing the connections still open');
      server.closeAllConnections();
    }
    await app.close();
    await stopTracing();
    logger.log('drained; exiting');
  });
}

/**
 * The worker on SIGTERM: readiness turns 503, no new job is taken, running jobs get `deadlineMs`;
 * what still runs then goes back to its queue for another worker and the process exits.
 */
export function drainWorkerOnSignals(app: INestApplicationContext, deadlineMs: number, healthServer?: Server): void {
  onSignals(async (signal) => {
    logger.log(`${signal}: draining (deadline ${deadlineMs} ms)`);
    app.get(Draining, { strict: false }).begin();
    const outcome = await app.get(WorkerDrain, { strict: false }).drain(deadlineMs);
    if (outcome.finished) {
      logger.log('active jobs finished');
      await app.close();
    } else {
      // The handed-back jobs' handlers are still running here; leave now so they cannot write after another worker took over.
      logger.warn(`drain deadline passed: handed back ${outcome.handedBack.length} job(s) to the queue: ${outcome.handedBack.join(', ')}`);
    }
    healthServer?.close();
    await stopTracing();
    logger.log('drained; exiting');
  });
}
