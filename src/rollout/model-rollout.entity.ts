import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RolloutState } from './rollout-machine.js';

/** One model digest's rollout machine (see rollout-machine.ts); the reconcile loop moves it, operators hold, force and roll back. */
@Entity({ name: 'model_rollouts' })
@Index('UQ_model_rollouts_digest', ['digest'], { unique: true })
@Index('UQ_model_rollouts_serving', ['state'], { unique: true, where: "state = 'serving'" })
export class ModelRollout {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  repo: string;

  @Column({ type: 'text' })
  digest: string;

  @Column({ type: 'text' })
  state: RolloutState;

  @Column({ type: 'boolean', default: false })
  held: boolean;

  @Column({ type: 'boolean', default: false })
  forced: boolean;

  @Column({ name: 'miner_hotkey', type: 'text', nullable: true })
  minerHotkey: string | null;

  @Column({ name: 'miner_uid', type: 'int', nullable: true })
  minerUid: number | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'state_since', type: 'timestamptz' })
  stateSince: Date;

  @Column({ name: 'asked_at', type: 'timestamptz', nullable: true })
  askedAt: Date | null;

  @Column({ name: 'served_at', type: 'timestamptz', nullable: true })
  servedAt: Date | null;

  @Column({ name: 'replaced_at', type: 'timestamptz', nullable: true })
  replacedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
