import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ModelCapabilities } from './model-capabilities.js';

/** An operator's override of a model's capabilities; models without one use the defaults in code. */
@Entity({ name: 'model_capabilities' })
export class ModelCapability {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** The model reference as the ranking names it (`owner/name`), one record per model. */
  @Column({ type: 'text', unique: true })
  model: string;

  @Column({ type: 'jsonb' })
  capabilities: ModelCapabilities;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
