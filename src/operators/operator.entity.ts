import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { OperatorRole } from '../core/auth/operator-roles.js';

export { OPERATOR_ROLES, type OperatorRole } from '../core/auth/operator-roles.js';

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
