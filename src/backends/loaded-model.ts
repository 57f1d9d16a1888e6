import type { BackendTarget } from './gpu-backend.entity.js';
import { isDigest, type ModelIdentity } from './gpu/model-identity.js';
import type { RankedModel } from '../miners/index.js';
import type { HealthReading } from './health-store.js';
import { BackendError } from './gpu/backend-error.js';

/** The digest a backend was registered for; a branch or tag ("main") names no fixed weights. */
export const registeredDigest = (b: BackendTarget): string | null => (isDigest(b.modelRevision) ? b.modelRevision : null);

/** Whether a backend may be sent the jobs of a ranked model; a model-less backend is sent every model's. */
export const serves = (b: BackendTarget, m: RankedModel): boolean =>
  b.model === null || (b.model === m.model && (b.modelRevision === null || m.model_revision === null || b.modelRevision === m.model_revision));

/** The model a call to `b` for ranked `m` names: by the ranking's digest, else the one `b` is registered for; none without a digest. */
export function wantedModel(b: BackendTarget, m: RankedModel): ModelIdentity | undefined {
  const revision = m.model_revision ?? b.modelRevision;
  return isDigest(revision) ? { repo: m.model, digest: revision } : undefined;
}

/**
 * Whether a call names its model (`wanted`) to the backend: always to one registered for a model;
 * to a model-less one only when its health answer says it has a model loaded. A model-less server
 * with nothing loaded (the test card of dev and the sandbox) refuses every job that names a model,
 * so it is sent the job as before the contract, and its answer then attests none.
 */
export const namesModel = (b: BackendTarget, loaded: ModelIdentity | null | undefined): boolean =>
  b.model !== null || (loaded !== null && loaded !== undefined);

/** The backend reports a model loaded that differs from the one it is registered for (nothing loaded counts as different). */
export function registrationMismatch(b: BackendTarget, reading: HealthReading | undefined): boolean {
  const registered = registeredDigest(b);
  return registered !== null && reading?.model !== undefined && reading.model?.digest !== registered;
}

/**
 * Whether a backend's last health answer rules it out for a job wanting `wanted`: it loaded
 * another digest than it is registered for, or (registered for none) another than the job's.
 * A backend that does not report a model is judged by its answer's attestation instead.
 */
export function loadedElsewhere(b: BackendTarget, reading: HealthReading | undefined, wanted: ModelIdentity | undefined): boolean {
  if (reading?.model === undefined) return false;
  if (registeredDigest(b) !== null) return registrationMismatch(b, reading);
  return reading.model !== null && wanted !== undefined && reading.model.digest !== wanted.digest;
}

/**
 * The answer's attested model against the one asked for: another digest is not the model the
 * customer was promised, and a backend registered for a model that names none cannot show it
 * ran it. A model-less backend may stay silent (the provenance then says unattested).
 */
export function checkAttestation(b: BackendTarget, wanted: ModelIdentity | undefined, attested: ModelIdentity | null): void {
  if (attested && wanted && attested.digest !== wanted.digest) {
    throw new BackendError('output_invalid', `backend attests ${attested.repo}@${attested.digest}, not ${wanted.repo}@${wanted.digest} as asked`);
  }
  if (!attested && wanted && b.model !== null)
    throw new BackendError('output_invalid', `backend registered for ${b.model} attested no model (asked for ${wanted.digest})`);
}
