import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type FileStatus = 'pending' | 'ready';

@Entity({ name: 'files' })
@Index(['tenantId', 'id'])
// What the retention sweep scans: files that still hold their image.
@Index('IDX_files_retention_due', ['createdAt'], { where: 'expired_at IS NULL AND deleted_at IS NULL' })
export class StoredFile {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  purpose: string;

  /** The mode of the key that uploaded it: only keys of the same mode see or use it. */
  @Column({ type: 'boolean', default: true })
  livemode: boolean;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ type: 'text', nullable: true })
  filename: string | null;

  @Column({ type: 'int' })
  bytes: number;

  @Column({ type: 'int' })
  width: number;

  @Column({ type: 'int' })
  height: number;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey: string;

  /** `pending`: a presigned upload URL was handed out and nothing checked yet; `ready`: checked and usable. */
  @Column({ type: 'text', default: 'ready' })
  status: FileStatus;

  /** A pending upload's URL stops working then; a file still pending after it is expired by the retention sweep. */
  @Column({ name: 'upload_expires_at', type: 'timestamptz', nullable: true })
  uploadExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When retention deleted the stored image; the row stays (it counts toward the daily upload cap). */
  @Column({ name: 'expired_at', type: 'timestamptz', nullable: true })
  expiredAt: Date | null;

  /** When the tenant (or an operator's erasure) deleted it: the image is gone and the id is a 404. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
