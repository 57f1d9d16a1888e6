import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { open } from './secret-box.js';

/** The secrets that sign for an endpoint now: the current one, plus the previous during its overlap. */
export function signingSecrets(endpoint: WebhookEndpoint, now = new Date()): string[] {
  const secrets = [open(endpoint.secretEnc)];
  if (endpoint.previousSecretEnc && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(open(endpoint.previousSecretEnc));
  }
  return secrets;
}
