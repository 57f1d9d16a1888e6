import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { signatureHeader } from '../webhooks/index.js';
import { OperatorNotice } from './operator-notice.entity.js';
import { rolloutEnv } from './rollout.env.js';

const BATCH = 20;
const TIMEOUT_MS = 10_000;
const RELAY_MS = 2_000;
/** Operators' own endpoint: retried for as long as it takes, at most an hour apart. */
const backoffMs = (attempts: number) => Math.min(3_600_000, 5_000 * 2 ** Math.min(attempts, 20));

/**
 * POSTs pending operator notices (what to deploy, what to remove) to OPERATOR_WEBHOOK_URL,
 * signed like our customers' webhooks (Standard Webhooks, `webhook-id` = the notice id, so a
 * retry is recognisable). Rows are claimed FOR UPDATE SKIP LOCKED: several workers may relay.
 */
@Injectable()
export class OperatorNoticeRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OperatorNoticeRelay.name);
  private readonly loop = new PollLoop({
    name: 'operator notices',
    run: () => this.tick(),
    next: () => RELAY_MS,
    afterError: () => RELAY_MS,
    logLevel: 'warn',
  });

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    if (rolloutEnv.get().OPERATOR_WEBHOOK_URL) this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; returns how many notices were delivered. */
  async tick(): Promise<number> {
    const { OPERATOR_WEBHOOK_URL: url, OPERATOR_WEBHOOK_SECRET: secret } = rolloutEnv.get();
    if (!url) return 0;
    return this.db.transaction(async (tx) => {
      const due = await tx
        .createQueryBuilder(OperatorNotice, 'n')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where('n.delivered_at IS NULL AND n.next_attempt_at <= now()')
        .orderBy('n.id')
        .limit(BATCH)
        .getMany();
      let delivered = 0;
      for (const notice of due) {
        const error = await post(url, secret, notice);
        if (error === null) delivered++;
        else this.logger.warn(`operator notice ${notice.id} (${notice.type}) not accepted: ${error}`);
        await tx.update(
          OperatorNotice,
          { id: notice.id },
          error === null
            ? { deliveredAt: new Date(), attempts: notice.attempts + 1, lastError: null }
            : { attempts: notice.attempts + 1, lastError: error, nextAttemptAt: new Date(Date.now() + backoffMs(notice.attempts)) },
        );
      }
      return delivered;
    });
  }
}

async function post(url: string, secret: string | undefined, notice: OperatorNotice): Promise<string | null> {
  const body = JSON.stringify({ type: notice.type, timestamp: notice.createdAt.toISOString(), data: notice.data });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'webhook-id': notice.id, 'webhook-timestamp': String(timestamp) };
  if (secret) headers['webhook-signature'] = signatureHeader([secret], notice.id, timestamp, body);
  try {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (e) {
    return (e as Error).message.slice(0, 200);
  }
}
