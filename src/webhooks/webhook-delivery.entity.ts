import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  next_retry_at: string | null;
}

/**
 * One event to one target, and the outbox row that drives it: the relay enqueues rows that are
 * pending, due and not enqueued; every attempt's result is written here, so the database (not
 * Redis) knows what is left to do and a lost job or a restarted worker loses nothing.
 */
@Entity({ name: 'webhook_deliveries' })
@Index(['endpointId', 'id'])
@Index(['eventId'])
@Index(['createdAt'])
@Index('IDX_webhook_deliveries_due', ['nextAttemptAt'], { where: "status = 'pending'" })
export class WebhookDelivery {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId: string;

  /** Null for a per-request `webhook_url`, which is signed with the tenant's default secret of the event's mode. */
  @Column({ name: 'endpoint_id', type: 'text', nullable: true })
  endpointId: string | null;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text', default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'attempt_log', type: 'jsonb', default: [] })
  attemptLog: DeliveryAttempt[];

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** Set when the relay hands the row to BullMQ; cleared when a retry is scheduled. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  /** Retries stop once the window from here has passed; redelivery starts a new window. */
  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** W3C trace context of the transaction that wrote the row (a request or a job), for the delivery job's span; null while tracing is off. */
  @Column({ type: 'jsonb', nullable: true })
  trace: Record<string, string> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
