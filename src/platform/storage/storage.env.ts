import { z } from 'zod';
import { bool, defineEnv, int } from '../config/define-env.js';

export const storageEnv = defineEnv(
  'storage',
  {
    S3_BUCKET: z.string().min(3),
    S3_REGION: z.string().default('us-east-1'),
    /** Unset for AWS; set for R2, MinIO or the dev s3rver. */
    S3_ENDPOINT: z.string().url().optional(),
    S3_FORCE_PATH_STYLE: bool(false),
    /** Unset to use the SDK's default credential chain (IAM role, env, profile). */
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_PRESIGN_TTL_SECONDS: int(900, 60, 7 * 24 * 3600),
    /** A connection to the store not made within this fails the attempt (the SDK retries, then the store counts as unavailable). */
    S3_CONNECT_TIMEOUT_MS: int(5_000, 100, 120_000),
    /** A request whose socket stays silent this long fails the same way: a store that accepts connections but never answers cannot hang a request. */
    S3_REQUEST_TIMEOUT_MS: int(30_000, 1_000, 600_000),
    /** Create the bucket at start when missing (dev and tests). */
    S3_CREATE_BUCKET: bool(false),
  },
  { secrets: ['S3_SECRET_ACCESS_KEY'] },
);
