import { z } from 'zod';
import { bool, defineEnv, int } from '../platform/config/define-env.js';

export const mailEnv = defineEnv(
  'mail',
  {
    /** SMTP server the worker sends through; unset, mail waits in the outbox (logged) until it is set. `npm run dev` starts one on 127.0.0.1. */
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: int(587, 1, 65535),
    /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
    SMTP_SECURE: bool(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    /** The From of every message we send. */
    MAIL_FROM: z.string().default('Leoma <no-reply@leoma.local>'),
    /** How often the worker looks for mail to send. */
    MAIL_RELAY_INTERVAL_MS: int(1_000, 50, 600_000),
    /** Sending attempts (with backoff) before a message is given up as failed. */
    MAIL_MAX_ATTEMPTS: int(8, 1, 100),
  },
  { secrets: ['SMTP_PASSWORD'] },
);
