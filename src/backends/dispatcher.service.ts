import { Inject, Injectable, Logger } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '../platform/tracing/job-trace-context.js';
import { backendCallSeconds, backendErrors } from './backend-metrics.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackendError, DispatchCanceled } from './gpu/backend-error.js';
import { ProbeStarved } from '../platform/media/ffprobe.js';
import { ModelRanking, type Ranking } from '../miners/index.js';
import type { RankedModel } from '../miners/index.js';
import { ADAPTERS } from './adapters/adapters.js';
import type { GenerationRequest } from './adapters/backend-adapter.js';
import { BackendPool } from './backend-pool.service.js';
import { HealthChecker } from './backend-health.js';
import { HealthStore } from './health-store.js';
import { backendsEnv } from './backends.env.js';
import { CandidatePicker, type Claim } from './candidate-picker.js';
import type { BackendTarget } from './gpu-backend.entity.js';
import type { BackendOutput } from './gpu/output-file.js';
import { ModelNotLoaded, type ModelIdentity } from './gpu/model-identity.js';
import { checkAttestation, namesModel, serves, wantedModel } from './loaded-model.js';
import { SERVED_MODEL_SOURCE, type ServedModel, type ServedModelSource } from './served-model.js';

export interface DispatchOptions<T> {
  /** Prefix of the prediction ids; each call appends its own number so no two calls share one. */
  callIdPrefix: string;
  /** Cap of one output; a larger one is invalid (the next backend is tried). */
  maxBytes: number;
  /** Checks the output file (ffprobe); throws BackendError('output_invalid') to make dispatch try elsewhere. */
  validate(output: BackendOutput): Promise<T>;
  canceled(): Promise<boolean>;
  /** False for a test-mode video: it runs on the sandbox pool only. */
  livemode: boolean;
  /**
   * The customer's pinned model: only backends whose health reports that digest are tried, the
   * answer must attest it, and no other model is fallen back to. Absent: the ranking, best first.
   */
  pin?: ModelIdentity | null;
}

export interface DispatchResult<T> {
  /** The caller owns the file and must dispose() it. */
  output: BackendOutput;
  checked: T;
  backend: BackendTarget;
  model: RankedModel;
  ranking: Ranking;
  /** The model the backend attests made the video; null: a model-less backend that named none. */
  attested: ModelIdentity | null;
}

/** How long a backend that answered 409 busy is left alone before it is asked again. */
const BUSY_BACKOFF_MS = 500;

/**
 * Sends one generation to a backend serving the best-ranked model that can take it: on a failed
 * call (timeout, 5xx, refused, invalid output) the next backend, then the next model, within
 * DISPATCH_MAX_ATTEMPTS calls and DISPATCH_DEADLINE_MS. A model whose backends are all busy (no
 * free slot, or a 409 from the backend itself) is waited for rather than skipped: the winner's
 * output is what customers pay for. Each call names the model it is for (see namesModel); a backend that has
 * another loaded refuses (422 `model_not_loaded`) and the next one is tried, which is neither a
 * failed attempt nor a fault of the backend. An answer attesting another digest than the one
 * asked for, or none from a backend registered for a model, is invalid output.
 */
@Injectable()
export class Dispatcher {
  private readonly logger = new Logger(Dispatcher.name);

  constructor(
    private readonly ranking: ModelRanking,
    private readonly pool: BackendPool,
    private readonly picker: CandidatePicker,
    private readonly health: HealthStore,
    private readonly checker: HealthChecker,
    @Inject(SERVED_MODEL_SOURCE) private readonly servedModel: ServedModelSource,
  ) {}

  async dispatch<T>(req: Omit<GenerationRequest, 'predictionId'>, opts: DispatchOptions<T>): Promise<DispatchResult<T>> {
    const env = backendsEnv.get();
    const deadline = Date.now() + env.DISPATCH_DEADLINE_MS;
    const { livemode } = opts;
    // Test-mode videos run on the sandbox's test cards, which load no model: the rollout is not theirs; nor is a pinned video's.
    const [ranking, backends, firstServed] = await Promise.all([
      this.ranking.current(),
      this.pool.targets(livemode),
      livemode && !opts.pin ? this.servedModel.served() : null,
    ]);
    // A rolled-out model is the only one a live "winner" video goes to, and only on backends READY and
    // reporting its digest: never the next king before it has taken over, never one still loading.
    // A pinned video goes to its pin only, on backends reporting that digest.
    let served = firstServed;
    const models: RankedModel[] = opts.pin ? [pinnedModel(opts.pin, ranking)] : served ? [asRanked(served)] : distinctModels(ranking.entries);
    /**
     * A pinned video, and a video of the served model, go only to backends whose health report
     * names the digest. Those reports live in Redis: a failover can lose the last ones, and until
     * the next scheduled check nobody knows how a backend is. Unknown is not down: a backend with
     * no report is asked at once (once per dispatch; its answer is recorded for everyone) rather
     * than the video failed with no_backend_available or left waiting for the next check. With
     * the checks off (BACKEND_HEALTH_INTERVAL_MS=0) no backend has a report and none is probed.
     */
    const probed = new Set<string>();
    const probeUnknown = async (among: BackendTarget[]): Promise<boolean> => {
      if (env.BACKEND_HEALTH_INTERVAL_MS === 0 || (!opts.pin && !served)) return false;
      const unknown = await this.health.unknown(among.filter((b) => !probed.has(b.id)));
      if (unknown.length === 0) return false;
      for (const b of unknown) probed.add(b.id);
      this.logger.log(`no health report of ${unknown.map((b) => b.id).join(', ')}; probing now`);
      await this.checker.probe(unknown);
      return true;
    };
    let eligible = opts.pin ? await this.picker.reporting(backends, opts.pin) : backends;
    /** While a video waits, the served model may change (a rollover): it follows, so it never waits on a model being drained. */
    const followServed = async () => {
      const now = served && (await this.servedModel.served());
      if (now && now.digest !== served!.digest) {
        served = now;
        models[0] = asRanked(now);
        notLoaded.clear();
      }
    };
    const tried = new Set<string>();
    /** Backend and model index pairs a backend refused as not loaded: it may still take another model. */
    const notLoaded = new Set<string>();
    const failures: { backend: string; error: BackendError }[] = [];
    /** Backends that answered 409 busy: since when, and until when they are left to finish what they run. */
    const busySince = new Map<string, number>();
    const busyUntil = new Map<string, number>();
    let modelIndex = 0;
    let lastCancelCheck = Date.now();
    const waitForCapacity = async () => {
      if (Date.now() - lastCancelCheck >= env.CANCEL_POLL_MS) {
        lastCancelCheck = Date.now();
        if (await opts.canceled()) throw new DispatchCanceled();
      }
      await sleep(env.DISPATCH_CAPACITY_POLL_MS);
    };
    while (failures.length < env.DISPATCH_MAX_ATTEMPTS && Date.now() < deadline) {
      const model = models[modelIndex];
      if (!model) break;
      const serving = await this.picker.usable(
        eligible.filter((b) => !tried.has(b.id) && !notLoaded.has(`${b.id} ${modelIndex}`) && serves(b, model)),
        (b) => wantedModel(b, model),
        served?.digest,
      );
      if (serving.length === 0) {
        if (await probeUnknown(backends.filter((b) => !tried.has(b.id) && !notLoaded.has(`${b.id} ${modelIndex}`) && serves(b, model)))) {
          if (opts.pin) eligible = await this.picker.reporting(backends, opts.pin);
          continue;
        }
        // The served model's backends may be between health checks or full: wait for one rather than fail the video.
        if (served && backends.some((b) => !tried.has(b.id) && serves(b, model))) {
          await waitForCapacity();
          await followServed();
          continue;
        }
        modelIndex++;
        continue;
      }
      const now = Date.now();
      const candidates = serving.filter((b) => (busyUntil.get(b.id) ?? 0) <= now);
      const claim = candidates.length ? await this.picker.claim(candidates) : null;
      if (!claim) {
        await waitForCapacity();
        await followServed();
        continue;
      }
      tried.add(claim.backend.id);
      const predictionId = `${opts.callIdPrefix}-${failures.length + 1}`;
      const wanted = wantedModel(claim.backend, model);
      try {
        const timeoutMs = Math.max(1, Math.min(env.GPU_BACKEND_TIMEOUT_MS, deadline - Date.now()));
        const output = await this.call(
          claim,
          { ...req, predictionId, model: namesModel(claim.backend, claim.loaded) ? wanted : undefined },
          { timeoutMs, maxBytes: opts.maxBytes, canceled: opts.canceled },
        );
        try {
          checkAttestation(claim.backend, wanted, output.attested);
          if (opts.pin && output.attested?.digest !== opts.pin.digest)
            throw new BackendError('output_invalid', `backend did not attest the pinned ${opts.pin.repo}@${opts.pin.digest}`);
          const checked = await opts.validate(output);
          // Our bookkeeping, not the backend's answer: a failure here (Redis unreachable) must not
          // be counted against the backend nor cost the valid output in hand.
          await this.picker
            .succeeded(claim.backend)
            .catch((err: Error) => this.logger.warn(`${predictionId}: circuit of ${claim.backend.id} not reset: ${err.message}`));
          return { output, checked, backend: claim.backend, model, ranking, attested: output.attested };
        } catch (e) {
          await output.dispose();
          throw e;
        }
      } catch (e) {
        if (e instanceof DispatchCanceled) throw e;
        if (e instanceof ProbeStarved) {
          // Our own check of the output could not run (this machine is starved): the backend
          // answered and is not to blame, so its circuit is untouched. The caller's job retries.
          this.logger.warn(`${predictionId} on ${claim.backend.id}: output not checked: ${e.message}`);
          throw e;
        }
        if (e instanceof ModelNotLoaded) {
          // Loading another model (a rollover, a misrouted registration): nothing wrong with the
          // video or the backend, so neither an attempt nor a circuit fault; it may take another model's job.
          this.logger.log(`${predictionId} on ${claim.backend.id}: ${e.message}; trying the next backend`);
          tried.delete(claim.backend.id);
          notLoaded.add(`${claim.backend.id} ${modelIndex}`);
          continue;
        }
        const firstBusy = busySince.get(claim.backend.id) ?? Date.now();
        if (e instanceof BackendError && e.code === 'backend_busy' && Date.now() - firstBusy < env.DISPATCH_BUSY_WAIT_MS) {
          // Fuller than its configured limit says (a wrong setting, a restart, another client on
          // the GPU): for a while that is not a failure, so it is neither counted against its
          // circuit nor given up on. It gets a moment to finish what it runs, other backends go
          // first; busy for longer than DISPATCH_BUSY_WAIT_MS, it is skipped like a failed one.
          this.logger.warn(`${predictionId} on ${claim.backend.id}: busy beyond its configured max_concurrency; waiting`);
          busySince.set(claim.backend.id, firstBusy);
          tried.delete(claim.backend.id);
          busyUntil.set(claim.backend.id, Date.now() + BUSY_BACKOFF_MS);
          continue;
        }
        const error = e instanceof BackendError ? e : new BackendError('backend_unavailable', (e as Error).message);
        this.logger.warn(`${predictionId} on ${claim.backend.id}: ${error.code}: ${error.message}`);
        failures.push({ backend: claim.backend.id, error });
        await this.picker.failed(claim.backend, error);
        if (!error.retriable) throw error;
      } finally {
        // A slot that cannot be given back (Redis gone) frees itself when its lease runs out.
        await claim.lease.release().catch(() => undefined);
      }
    }
    throw finalError(failures, Date.now() >= deadline, notLoaded.size);
  }

  /** One backend call that stops, and cancels the prediction on the backend, once the video is canceled. */
  private async call(
    claim: Claim,
    req: GenerationRequest,
    opts: { timeoutMs: number; maxBytes: number; canceled(): Promise<boolean> },
  ): Promise<BackendOutput> {
    const adapter = ADAPTERS[claim.backend.protocol];
    const abort = new AbortController();
    const watch = setInterval(() => {
      void opts.canceled().then(
        (yes) => yes && abort.abort(),
        () => undefined,
      );
    }, backendsEnv.get().CANCEL_POLL_MS);
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await inSpan(
        `gpu ${claim.backend.protocol}`,
        SpanKind.CLIENT,
        { 'leoma.backend': claim.backend.id, 'leoma.prediction_id': req.predictionId },
        () =>
          adapter.generate(claim.backend, req, {
            signal: abort.signal,
            timeoutMs: opts.timeoutMs,
            maxBytes: opts.maxBytes,
            outputDir: backendsEnv.get().GPU_OUTPUT_TMP_DIR,
          }),
      );
    } catch (e) {
      const canceled = abort.signal.aborted;
      outcome = canceled ? 'canceled' : e instanceof BackendError ? e.code : e instanceof ModelNotLoaded ? 'model_not_loaded' : 'backend_unavailable';
      if (!canceled) backendErrors.inc({ backend: claim.backend.id, code: outcome });
      // A prediction we stopped waiting for would keep the GPU busy for nobody: cancel it there too.
      if (canceled || (e instanceof BackendError && e.code === 'backend_timeout')) await this.cancelOn(claim, req.predictionId);
      throw canceled ? new DispatchCanceled() : e;
    } finally {
      clearInterval(watch);
      backendCallSeconds.observe({ backend: claim.backend.id, outcome }, (performance.now() - started) / 1000);
    }
  }

  private async cancelOn(claim: Claim, predictionId: string): Promise<void> {
    await ADAPTERS[claim.backend.protocol]
      .cancel(claim.backend, predictionId)
      .catch((err: Error) => this.logger.warn(`cancel of ${predictionId} on ${claim.backend.id} failed: ${err.message}`));
  }
}

const asRanked = (m: ServedModel): RankedModel => ({ model: m.repo, model_revision: m.digest, miner_hotkey: m.minerHotkey, miner_uid: m.minerUid });
/** A pin as a ranked model: the miner behind it when the ranking names that digest, else unknown. */
function pinnedModel(pin: ModelIdentity, ranking: Ranking): RankedModel {
  const ranked = ranking.entries.find((e) => e.model === pin.repo && e.model_revision === pin.digest);
  return { model: pin.repo, model_revision: pin.digest, miner_hotkey: ranked?.miner_hotkey ?? null, miner_uid: ranked?.miner_uid ?? null };
}

function distinctModels(entries: RankedModel[]): RankedModel[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.model}@${e.model_revision ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Invalid output everywhere is the models' fault; anything else means nothing could take the job. */
function finalError(failures: { backend: string; error: BackendError }[], pastDeadline: boolean, refusedNotLoaded: number): BackendError {
  const tried = failures.map((f) => `${f.backend}: ${f.error.code}`).join('; ');
  if (failures.length > 0 && failures.every((f) => f.error.code === 'output_invalid')) {
    return new BackendError('output_invalid', `every backend returned invalid output (${tried})`, false);
  }
  const none = refusedNotLoaded
    ? `no healthy backend has a ranked model loaded (${refusedNotLoaded} refused as model_not_loaded)`
    : 'no healthy backend serves a ranked model';
  const why = pastDeadline ? 'the dispatch deadline passed' : failures.length ? `every usable backend failed (${tried})` : none;
  return new BackendError('no_backend_available', why, false);
}
