import { authEnv } from '../core/auth/auth.env.js';
import { secretBox } from '../platform/crypto/secret-box.js';
import { webhooksEnv } from './webhooks.env.js';

/** Webhook signing secrets, sealed under WEBHOOK_SECRET_KEY (else the API-key secret) with their own label. */
export const { seal, open } = secretBox(() => webhooksEnv.get().WEBHOOK_SECRET_KEY ?? authEnv.get().API_KEY_HASH_SECRET, 'webhook-secret-encryption');
