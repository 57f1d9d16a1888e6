import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { retryDelayMs, parseRetryAfterMs } from './backoff.js';
import type { PostResult } from './webhook-post.js';
import type { DeliveryAttempt, DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { webhooksEnv } from './webhooks.env.js';
import { webhookDeliveries } from './webhooks.metrics.js';

/**
 * Writes what one attempt achieved and what happens next, in one transaction: the delivery's
 * log and schedule, and the endpoint's health (410 or a long run of failures disables it, with
 * a reason the tenant can read). Conditional on the attempt number, so a duplicate job's result
 * cannot overwrite a newer one.
 */
@Injectable()
export class DeliveryOutcomes {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(delivery: WebhookDelivery, attempt: number, result: PostResult): Promise<void> {
    const env = webhooksEnv.get();
    const now = new Date();
    const ok = result.error === null;
    let status: DeliveryStatus = ok ? 'succeeded' : 'pending';
    let nextAt: Date | null = null;
    let error = result.error;
    if (!ok) {
      const retryAfter = result.statusCode === 429 || result.statusCode === 503 ? parseRetryAfterMs(result.retryAfter, env.WEBHOOK_RETRY_WINDOW_MS) : null;
      const delay = Math.max(retryDelayMs(attempt, env.WEBHOOK_RETRY_BASE_MS, env.WEBHOOK_RETRY_MAX_DELAY_MS), retryAfter ?? 0);
      nextAt = new Date(now.getTime() + delay);
      if (result.statusCode === 410) [status, nextAt] = ['failed', null];
      else if (nextAt.getTime() > delivery.windowStartedAt.getTime() + env.WEBHOOK_RETRY_WINDOW_MS) {
        [status, nextAt, error] = ['failed', null, `${error}; gave up after ${attempt} attempts`];
      }
    }
    const entry: DeliveryAttempt = {
      attempt,
      at: now.toISOString(),
      status_code: result.statusCode,
      latency_ms: result.latencyMs,
      error: result.error,
      next_retry_at: nextAt?.toISOString() ?? null,
    };
    await this.db.transaction(async (tx) => {
      const disabled = delivery.endpointId ? await this.endpointHealth(tx, delivery.endpointId, ok, result.statusCode, now) : false;
      if (disabled && status === 'pending') [status, nextAt, error] = ['failed', null, `${error}; endpoint disabled`];
      await tx.query(
        `update webhook_deliveries set status = $3, attempts = $2, attempt_log = attempt_log || $4::jsonb,
           next_attempt_at = $5, enqueued_at = null, last_error = $6, url = $7
         where id = $1 and attempts = $2 - 1 and status = 'pending'`,
        [delivery.id, attempt, status, JSON.stringify([entry]), nextAt, error, delivery.url],
      );
    });
    webhookDeliveries.inc({ outcome: status === 'pending' ? 'retrying' : status });
  }

  /** Marks a delivery failed without an attempt (its endpoint was disabled or deleted meanwhile). */
  async abandon(delivery: WebhookDelivery, reason: string): Promise<void> {
    await this.db.query(
      `update webhook_deliveries set status = 'failed', enqueued_at = null, next_attempt_at = null, last_error = $2 where id = $1 and status = 'pending'`,
      [delivery.id, reason],
    );
    webhookDeliveries.inc({ outcome: 'abandoned' });
  }

  /** Returns true when this result disabled the endpoint. */
  private async endpointHealth(tx: EntityManager, endpointId: string, ok: boolean, statusCode: number | null, now: Date): Promise<boolean> {
    if (ok) {
      await tx.update(WebhookEndpoint, { id: endpointId }, { failingSince: null });
      return false;
    }
    const endpoint = await tx.findOne(WebhookEndpoint, { where: { id: endpointId }, lock: { mode: 'pessimistic_write' } });
    if (!endpoint?.enabled) return Boolean(endpoint);
    const failingSince = endpoint.failingSince ?? now;
    const disableAfter = webhooksEnv.get().WEBHOOK_DISABLE_AFTER_MS;
    let reason: string | null = null;
    if (statusCode === 410) reason = `The endpoint answered 410 Gone at ${now.toISOString()}.`;
    else if (now.getTime() - failingSince.getTime() >= disableAfter) {
      reason = `Every delivery failed since ${failingSince.toISOString()} (over ${Math.round(disableAfter / 60_000)} minutes).`;
    }
    await tx.update(WebhookEndpoint, { id: endpointId }, reason ? { failingSince, enabled: false, disabledReason: reason, disabledAt: now } : { failingSince });
    return reason !== null;
  }
}
