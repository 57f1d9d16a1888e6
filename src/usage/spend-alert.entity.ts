import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type AlertMetric = 'amount' | 'seconds';

/** A tenant's threshold on a period's live spend (minor units) or video-seconds; a hard cap also refuses new videos. */
@Entity({ name: 'spend_alerts' })
@Index(['tenantId'])
export class SpendAlert {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  metric: AlertMetric;

  @Column({ type: 'int' })
  threshold: number;

  @Column({ name: 'hard_cap', type: 'boolean', default: false })
  hardCap: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One row per alert and period it fired in: the primary key is what makes it fire once. */
@Entity({ name: 'spend_alert_firings' })
export class SpendAlertFiring {
  @PrimaryColumn({ name: 'alert_id', type: 'text' })
  alertId: string;

  @PrimaryColumn({ type: 'text' })
  period: string;

  @CreateDateColumn({ name: 'fired_at', type: 'timestamptz' })
  firedAt: Date;
}
