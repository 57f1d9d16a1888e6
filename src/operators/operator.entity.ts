import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const OPERATOR_ROLES = ['admin', 'sales', 'finance', 'support'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** Platform staff; they act through lk_op_ keys on the admin API only. */
@Entity({ name: 'operators' })
export class Operator {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', unique: true })
  email: string;

  @Column({ type: 'text' })
  role: OperatorRole;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
