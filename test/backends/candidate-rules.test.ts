import { describe, expect, it } from 'vitest';
import type { BackendTarget } from '../../src/backends/gpu-backend.entity.js';
import type { HealthReading } from '../../src/backends/health-store.js';
import { checkAttestation, loadedElsewhere, registrationMismatch, serves, wantedModel } from '../../src/backends/loaded-model.js';
import { reportsReady } from '../../src/backends/served-model.js';

// The rules the candidate picker applies to each backend, as pure functions: which backends may
// take a model's jobs, which model a call names, and which answers prove the model ran.
const OLD = { repo: 'owner/leoma-a', digest: `sha256:${'a'.repeat(64)}` };
const NEW = { repo: 'owner/leoma-b', digest: `sha256:${'b'.repeat(64)}` };
const backend = (model: string | null, modelRevision: string | null): BackendTarget => ({
  id: 'b1',
  url: 'http://127.0.0.1:1',
  protocol: 'cog',
  model,
  modelRevision,
  maxConcurrency: 1,
  authHeader: null,
  source: 'api',
});
const ranked = (m: { repo: string; digest: string } | null, repo = m?.repo ?? 'owner/leoma-a') => ({
  model: repo,
  model_revision: m?.digest ?? null,
  miner_hotkey: null,
  miner_uid: null,
});
const reading = (status: HealthReading['status'], model: { repo: string; digest: string } | null | undefined): HealthReading => ({
  status,
  model,
  renderer: null,
  progress: null,
  checked_at: new Date().toISOString(),
});

describe('candidate rules', () => {
  it("send a model's jobs to backends registered for it (any revision when either names none) and to model-less ones", () => {
    expect(serves(backend(OLD.repo, OLD.digest), ranked(OLD))).toBe(true);
    expect(serves(backend(OLD.repo, OLD.digest), ranked(NEW))).toBe(false);
    expect(serves(backend(OLD.repo, NEW.digest), ranked(OLD))).toBe(false);
    expect(serves(backend(OLD.repo, null), ranked(OLD))).toBe(true);
    expect(serves(backend(null, null), ranked(NEW))).toBe(true);
  });

  it("name the ranking's digest, else the one the backend is registered for, never a branch", () => {
    expect(wantedModel(backend(OLD.repo, OLD.digest), ranked(OLD))).toEqual(OLD);
    expect(wantedModel(backend(OLD.repo, OLD.digest), ranked(null))).toEqual(OLD);
    expect(wantedModel(backend(OLD.repo, 'main'), ranked(null))).toBeUndefined();
  });

  it('rule out a backend that loaded another digest than its registration or the job asks', () => {
    expect(registrationMismatch(backend(OLD.repo, OLD.digest), reading('ready', NEW))).toBe(true);
    expect(registrationMismatch(backend(OLD.repo, OLD.digest), reading('ready', null))).toBe(true);
    expect(registrationMismatch(backend(OLD.repo, OLD.digest), reading('ready', OLD))).toBe(false);
    expect(loadedElsewhere(backend(null, null), reading('ready', OLD), NEW)).toBe(true);
    expect(loadedElsewhere(backend(null, null), reading('ready', NEW), NEW)).toBe(false);
    // A backend that does not report a model is judged by its answer's attestation instead.
    expect(loadedElsewhere(backend(OLD.repo, OLD.digest), reading('ready', undefined), NEW)).toBe(false);
  });

  it('count a backend as serving a digest only while READY or BUSY with that digest', () => {
    expect(reportsReady(reading('ready', NEW), NEW.digest)).toBe(true);
    expect(reportsReady(reading('busy', NEW), NEW.digest)).toBe(true);
    expect(reportsReady(reading('starting', NEW), NEW.digest)).toBe(false);
    expect(reportsReady(reading('ready', OLD), NEW.digest)).toBe(false);
    expect(reportsReady(undefined, NEW.digest)).toBe(false);
  });

  it('refuse an answer attesting another digest, or none from a backend registered for a model', () => {
    expect(() => checkAttestation(backend(OLD.repo, OLD.digest), OLD, NEW)).toThrow(/attests owner\/leoma-b/);
    expect(() => checkAttestation(backend(OLD.repo, OLD.digest), OLD, null)).toThrow(/attested no model/);
    expect(() => checkAttestation(backend(OLD.repo, OLD.digest), OLD, OLD)).not.toThrow();
    expect(() => checkAttestation(backend(null, null), OLD, null)).not.toThrow();
  });
});
