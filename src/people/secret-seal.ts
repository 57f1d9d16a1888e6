import { authEnv } from '../core/auth/auth.env.js';
import { secretBox } from '../platform/crypto/secret-box.js';

/** The SSO client secrets we must send back to each provider, sealed under their own label. */
export const { seal, open } = secretBox(() => authEnv.get().API_KEY_HASH_SECRET, 'sso-client-secret');
