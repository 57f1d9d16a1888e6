import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'operator_keys' })
export class OperatorKey {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Index()
  @Column({ name: 'operator_id', type: 'text' })
  operatorId: string;

  /** HMAC of the secret, like tenant keys; the secret is shown once. */
  @Index({ unique: true })
  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  @Column({ name: 'secret_start', type: 'text' })
  secretStart: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
