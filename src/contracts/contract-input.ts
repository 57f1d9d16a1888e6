import type { Resolution } from '../core/video-format.js';
import type { LimitOverrides } from '../core/limits/effective-limits.js';
import type { TaxId } from './contract-version.entity.js';

/** A new contract version as sales writes it; what is left out comes from the current version, else the plan's price. */
export interface ContractInput {
  plan?: string;
  effective_from?: string;
  currency?: string;
  base_amount?: number;
  included_video_seconds?: number;
  overage_per_second?: Partial<Record<Resolution, number>>;
  commitment_amount?: number;
  discount_bps?: number;
  term_start?: string;
  term_end?: string | null;
  auto_renew?: boolean;
  po_number?: string | null;
  tax_ids?: TaxId[];
  billing_email?: string | null;
  limits?: LimitOverrides;
}
