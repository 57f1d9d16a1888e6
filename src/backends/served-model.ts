import type { HealthReading } from './health-store.js';

/** The model "winner" videos are made by, as the rollout decided (its `serving` digest). */
export interface ServedModel {
  repo: string;
  digest: string;
  minerHotkey: string | null;
  minerUid: number | null;
}

/**
 * Where dispatch learns the served model: the rollout feature provides it (the rollout reads the
 * backends' health, so backends cannot import it back). Null: nothing rolled out yet (a ranking
 * that names no digest, or a deployment before its first king served): dispatch follows the ranking.
 */
export interface ServedModelSource {
  served(): Promise<ServedModel | null>;
}

export const SERVED_MODEL_SOURCE = Symbol('SERVED_MODEL_SOURCE');

/** READY (or BUSY: ready, full for a moment) and reporting this digest loaded: the only backends a rolled-out model's videos go to. */
export const reportsReady = (reading: HealthReading | undefined, digest: string): boolean =>
  (reading?.status === 'ready' || reading?.status === 'busy') && reading.model?.digest === digest;
