import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type LinkPurpose = 'sign_in' | 'sign_up' | 'operator_sign_in';

/**
 * An emailed link: single use (`consumedAt`), short-lived, and bound to the browser that asked for
 * it (`browserHash`, the hash of a cookie set on that browser), so a link read by someone else — a
 * mail scanner, a forwarded message — opens nothing. A sign-up link carries what the sign-up asked
 * for in `data`: nothing else exists until it is opened.
 */
@Entity({ name: 'sign_in_links' })
@Index(['email', 'createdAt'])
@Index(['emailDomain', 'createdAt'])
export class SignInLink {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  purpose: LinkPurpose;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'email_domain', type: 'text' })
  emailDomain: string;

  @Index({ unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'browser_hash', type: 'text' })
  browserHash: string;

  @Column({ type: 'jsonb', default: {} })
  data: Record<string, string>;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
