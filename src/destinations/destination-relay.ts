import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '../platform/http/domain-error.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { destinationsEnv } from './destinations.env.js';

/**
 * The loop of every relay to customers' buckets (a video's files, a batch's manifest), whose rows
 * are their own outbox. Due rows are claimed in one statement (attempts + 1, the next try pushed
 * out by DESTINATION_LEASE_MS), so several workers share the work and a worker that dies mid-copy
 * only delays its rows; up to DESTINATION_CONCURRENCY are attempted side by side, and each
 * attempt's outcome (null: written; else why not) is settled by the relay, which retries with
 * backoff (afterFailedAttempt) or gives up. A pass that claimed rows is followed at once by the next.
 */
export abstract class DestinationRelay<Row> implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly loop: PollLoop<number>;

  protected constructor(name: string) {
    this.loop = new PollLoop({
      name,
      run: () => this.tick(),
      next: (claimed) => (claimed > 0 ? 0 : destinationsEnv.get().DESTINATION_RELAY_INTERVAL_MS),
      afterError: () => destinationsEnv.get().DESTINATION_RELAY_INTERVAL_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: claims up to DESTINATION_CONCURRENCY due rows and attempts them side by side. */
  async tick(): Promise<number> {
    const env = destinationsEnv.get();
    const claimed = await this.claim(env.DESTINATION_CONCURRENCY, env.DESTINATION_LEASE_MS);
    await Promise.all(claimed.map((id) => this.deliver(id)));
    return claimed.length;
  }

  /** Claims up to `limit` due rows in one statement (attempts + 1, next try `leaseMs` away); their ids. */
  protected abstract claim(limit: number, leaseMs: number): Promise<string[]>;
  /** A claimed row as it is now (its attempts counted). */
  protected abstract load(id: string): Promise<Row>;
  /** One attempt at writing it; throws to fail the attempt. */
  protected abstract attempt(row: Row): Promise<void>;
  /** The attempt's outcome (null: written) and its event, for the claim this attempt made only. */
  protected abstract settle(row: Row, failure: string | null): Promise<void>;
  /** The row in a log line: what, to where, which attempt. */
  protected abstract describe(row: Row): string;

  private async deliver(id: string): Promise<void> {
    const row = await this.load(id);
    let failure: string | null = null;
    try {
      await this.attempt(row);
    } catch (e) {
      failure = e instanceof DomainError ? e.message : `${(e as Error).name}: ${(e as Error).message}`.slice(0, 500);
      this.logger.warn(`${this.describe(row)}: ${failure}`);
    }
    await this.settle(row, failure);
  }
}
