import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A customer's own S3-compatible bucket that its videos' files are copied to. */
@Entity({ name: 'destinations' })
@Index(['tenantId', 'id'])
export class Destination {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  /** A destination belongs to the mode of the key that made it; only that mode's videos may name it. */
  @Column({ type: 'boolean' })
  livemode: boolean;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'text' })
  bucket: string;

  @Column({ type: 'text' })
  region: string;

  /** An S3-compatible store's base URL (R2, MinIO, …); null: AWS S3 itself. */
  @Column({ type: 'text', nullable: true })
  endpoint: string | null;

  /** Path-style addressing (bucket in the path), which most S3-compatible stores need. */
  @Column({ name: 'force_path_style', type: 'boolean', default: false })
  forcePathStyle: boolean;

  /** Prepended to every object key ('' or ending in '/'). */
  @Column({ type: 'text', default: '' })
  prefix: string;

  @Column({ name: 'access_key_id', type: 'text' })
  accessKeyId: string;

  /** Encrypted with the destinations' SecretBox; never returned, never logged. */
  @Column({ name: 'secret_enc', type: 'text' })
  secretEnc: string;

  @Column({ type: 'boolean', default: false })
  deleted: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
