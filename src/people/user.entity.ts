import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A person: one email address, any number of memberships. Created only once the address is proven (a link it received was opened). */
@Entity({ name: 'users' })
export class User {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** Lower-cased; the one identity a person has across tenants. */
  @Column({ type: 'text', unique: true })
  email: string;

  @Column({ type: 'text', default: '' })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
