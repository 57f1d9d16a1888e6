import { authEnv } from '../core/auth/auth.env.js';
import { secretBox } from '../platform/crypto/secret-box.js';
import { destinationsEnv } from './destinations.env.js';

/** Destinations' secret access keys, sealed under DESTINATION_SECRET_KEY (else the API-key secret) with their own label. */
export const { seal, open } = secretBox(
  () => destinationsEnv.get().DESTINATION_SECRET_KEY ?? authEnv.get().API_KEY_HASH_SECRET,
  'destination-secret-encryption',
);
