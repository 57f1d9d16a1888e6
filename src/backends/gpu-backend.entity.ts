import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const BACKEND_PROTOCOLS = ['cog', 'generate'] as const;
export type BackendProtocol = (typeof BACKEND_PROTOCOLS)[number];

/** A GPU server registered by an operator; config backends have the same shape but no row. */
@Entity({ name: 'backends' })
export class GpuBackend {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text' })
  protocol: BackendProtocol;

  /** Model reference it serves (repository), matched against the miner ranking. */
  @Column({ type: 'text' })
  model: string;

  /** Null: serves whatever revision is ranked. */
  @Column({ name: 'model_revision', type: 'text', nullable: true })
  modelRevision: string | null;

  @Column({ name: 'max_concurrency', type: 'int' })
  maxConcurrency: number;

  /** Sent verbatim as `Authorization`; never returned by the API. */
  @Column({ name: 'auth_header', type: 'text', nullable: true })
  authHeader: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** What dispatch needs of a backend, whichever way it was registered. */
export interface BackendTarget {
  id: string;
  url: string;
  protocol: BackendProtocol;
  /** Null: a config backend named no model (GPU_BACKEND_URL, a sandbox reference backend); it serves whatever is ranked. */
  model: string | null;
  modelRevision: string | null;
  maxConcurrency: number;
  authHeader: string | null;
  source: 'config' | 'api';
}
