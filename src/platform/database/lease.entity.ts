import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per singleton loop (burn run, retention sweep, rollout reconcile): who holds it, until
 * when, and a fencing number that grows with every new holder. A lease lives in a row instead of
 * a session advisory lock because behind a transaction-pooling PgBouncer a session is not ours:
 * two holders could share one server connection and both "hold" the same session lock.
 */
@Entity({ name: 'leases' })
export class Lease {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_leases' })
  name!: string;

  /** The holder's id (host, pid and a random part per acquisition). */
  @Column({ type: 'text' })
  owner!: string;

  /** Bumped on every takeover: a write fenced with an older number is refused. */
  @Column({ type: 'bigint' })
  fence!: string;

  /** The database's clock decides, never the holder's. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
