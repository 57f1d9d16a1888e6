import { z } from 'zod';
import { defineEnv } from '../platform/config/define-env.js';

export const consoleEnv = defineEnv('console', {
  /** The console's build output (`npm run build` writes it); relative paths are from the working directory. Missing: /console is not served. */
  CONSOLE_DIR: z.string().default('dist/console'),
  /**
   * Origins the console may show videos and thumbnails from (space-separated), for its
   * Content-Security-Policy; unset: the origin of S3_ENDPOINT, or AWS S3's when that is unset.
   * Set it when presigned URLs go through a CDN or another public endpoint.
   */
  CONSOLE_MEDIA_ORIGINS: z.string().optional(),
});
