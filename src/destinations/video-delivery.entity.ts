import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One file of a video to copy: where it is in our store, where it goes in the customer's. */
export interface DeliveryFile {
  source_key: string;
  key: string;
  content_type: string;
}

/**
 * The outbox row of a video's copy to its destination, written in the transaction that marks the
 * video succeeded; the worker's relay copies the files and records the outcome here.
 */
@Entity({ name: 'video_deliveries' })
@Index(['tenantId', 'videoId'])
@Index('IDX_video_deliveries_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
export class VideoDelivery {
  @PrimaryColumn({ name: 'video_id', type: 'text' })
  videoId: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'boolean' })
  livemode: boolean;

  @Column({ name: 'destination_id', type: 'text' })
  destinationId: string;

  /** The main file's key in the destination (prefix included); the other files sit beside it. */
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'jsonb' })
  files: DeliveryFile[];

  @Column({ type: 'text' })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** When the relay may next try (a claim pushes it out by the lease, so a dead worker's claim lapses). */
  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
