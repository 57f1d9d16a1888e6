import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { greyPng } from './blank-image.js';
import { ImageInputError } from './prediction-input.js';
import { RendererFailure, type Renderer, type RenderRequest, type RenderResult, type RenderStep } from './renderer.js';
import { WorkerExited, WorkerProcess, type WorkerEvent } from './worker-process.js';

/** What the validators generate (gpu/worker/leoma_worker/spec.py); any other ask is refused. */
export const WAN_OUTPUT = { width: 832, height: 480, fps: 16, frames: 81 } as const;
export type Placement = 'none' | 'model';

export interface WanRendererOptions {
  /** `none`: the pipeline resident on the GPU (H200); `model`: model CPU offload (H100, the subnet's pin). */
  placement: Placement;
  /** The Python with torch and diffusers (default python3). */
  python?: string;
  /** gpu/worker (holding leoma_worker/); found next to this file's source or build by default. */
  workerDir?: string;
  /** Put before the worker's own directory on PYTHONPATH (the tests' stand-in torch/diffusers). */
  pythonPath?: string[];
  env?: Record<string, string>;
  /** The worker's stderr and the renderer's own notes. */
  log?: (line: string) => void;
  /** The first wait before restarting a dead worker; doubles on each failed restart, up to 60 s. */
  restartDelayMs?: number;
  /** How long the worker may take to start (importing nothing heavy: seconds). */
  helloTimeoutMs?: number;
  /**
   * A cancel is honoured at the next denoising step (seconds on an H100); a worker that has not
   * answered this long after one is stuck (a hung CUDA call) and is killed and restarted. Default 120 s.
   */
  cancelGraceMs?: number;
  /** A generation running longer than this is taken as hung, likewise. Default 30 min (≈ 250 s expected on an H100). */
  maxGenerationMs?: number;
}

type Outcome = { kind: 'done'; event: WorkerEvent } | { kind: 'canceled' } | { kind: 'error'; event: WorkerEvent };

/**
 * Wan 2.2 through a long-lived Python worker (gpu/worker). One generation at a time. A worker that
 * dies (a crash, or its own exit after a poisoned CUDA context) fails the job in flight with a clear
 * error, makes the renderer defunct, and is restarted and reloaded with the same snapshot.
 */
export function wanRenderer(opts: WanRendererOptions): Renderer {
  const log = opts.log ?? (() => {});
  const workerDir = opts.workerDir ?? findWorkerDir();
  const defunctListeners: ((defunct: boolean, reason: string) => void)[] = [];
  let worker: WorkerProcess | null = null;
  let snapshotDir: string | null = null;
  let inFlight = false;
  let closing = false;

  async function spawnWorker(): Promise<WorkerProcess> {
    const pythonPath = [...(opts.pythonPath ?? []), workerDir, ...(process.env.PYTHONPATH ? [process.env.PYTHONPATH] : [])].join(delimiter);
    const child = new WorkerProcess(
      {
        python: opts.python ?? 'python3',
        args: ['-u', '-m', 'leoma_worker'],
        env: { ...process.env, ...opts.env, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1' },
      },
      (line) => log(`worker: ${line}`),
    );
    const timeout = AbortSignal.timeout(opts.helloTimeoutMs ?? 60_000);
    const hello = child.waitFor((e) => (e.event === 'hello' ? e : undefined));
    const timedOut = new Promise<never>((_, reject) =>
      timeout.addEventListener('abort', () => reject(new Error('the Wan worker did not start in time')), { once: true }),
    );
    try {
      await Promise.race([hello, timedOut]);
    } catch (err) {
      child.kill();
      throw err;
    }
    return child;
  }

  async function loadInto(child: WorkerProcess, dir: string, signal: AbortSignal): Promise<void> {
    const onAbort = () => child.kill();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      child.send({ op: 'load', snapshot_dir: dir, placement: opts.placement });
      const answer = await child.waitFor((e) => (e.event === 'loaded' || e.event === 'error' ? e : undefined));
      if (answer.event === 'error') throw new Error(`loading ${dir} failed: ${String(answer.message)}`);
      log(`loaded ${dir} in ${Number(answer.seconds).toFixed(1)} s (placement ${opts.placement})`);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Watches a serving worker: its death is a defunct renderer and a restart. */
  function watch(child: WorkerProcess): void {
    void child.exited.then((how) => retire(child, `the Wan worker exited (${how})`));
  }

  /**
   * Takes a serving worker out of service at once (no job is sent to it any more: the server answers
   * DEFUNCT) and starts its successor once it has exited, so two never hold the GPU together.
   */
  function retire(child: WorkerProcess, reason: string): void {
    if (closing || worker !== child) return;
    worker = null;
    log(`${reason}; restarting it`);
    for (const listener of defunctListeners) listener(true, reason);
    void child.exited.then(() => restart());
  }

  async function restart(): Promise<void> {
    let delay = opts.restartDelayMs ?? 1_000;
    while (!closing && snapshotDir !== null) {
      let child: WorkerProcess | null = null;
      try {
        child = await spawnWorker();
        await loadInto(child, snapshotDir, AbortSignal.timeout(30 * 60_000));
        if (closing) return void (await child.stop());
        worker = child;
        watch(child);
        log('the Wan worker is back');
        for (const listener of defunctListeners) listener(false, 'restarted');
        return;
      } catch (err) {
        child?.kill();
        log(`restarting the Wan worker failed: ${(err as Error).message}; next try in ${delay} ms`);
        await sleep(delay);
        delay = Math.min(delay * 2, 60_000);
      }
    }
  }

  async function generate(child: WorkerProcess, request: RenderRequest, signal: AbortSignal, onStep?: (step: RenderStep) => void): Promise<RenderResult> {
    const dir = await mkdtemp(join(tmpdir(), 'leoma-wan-'));
    const id = randomBytes(8).toString('hex');
    const output = join(dir, 'output.mp4');
    const cancel = () => child.send({ op: 'cancel', id });
    try {
      // No extension: PIL reads the format from the bytes.
      const image = join(dir, 'input');
      await writeFile(image, request.image);
      child.send({
        op: 'generate',
        id,
        image_path: image,
        prompt: request.prompt,
        negative_prompt: request.negativePrompt ?? null,
        seed: request.seed ?? randomInt(0, 2 ** 32),
        output_path: output,
      });
      signal.addEventListener('abort', cancel, { once: true });
      if (signal.aborted) cancel();
      // A worker that does not answer in time is stuck where no cancel reaches it: only a new process frees the GPU.
      const stuck = (why: string) => {
        log(`the Wan worker is stuck (${why}); killing it`);
        child.kill();
      };
      const hung = setTimeout(() => stuck(`generating for over ${opts.maxGenerationMs ?? 30 * 60_000} ms`), opts.maxGenerationMs ?? 30 * 60_000);
      let deaf: NodeJS.Timeout | undefined;
      const armGrace = () => (deaf ??= setTimeout(() => stuck(`no answer ${opts.cancelGraceMs ?? 120_000} ms after a cancel`), opts.cancelGraceMs ?? 120_000));
      signal.addEventListener('abort', armGrace, { once: true });
      if (signal.aborted) armGrace();
      const outcome = await child
        .waitFor<Outcome>(
          (e) => {
            if (e.id !== id) return undefined;
            if (e.event === 'done') return { kind: 'done', event: e };
            if (e.event === 'canceled') return { kind: 'canceled' };
            if (e.event === 'error') return { kind: 'error', event: e };
            return undefined;
          },
          (e) => {
            if (e.event === 'progress' && e.id === id) onStep?.({ step: Number(e.step), total: Number(e.total) });
          },
        )
        .finally(() => {
          clearTimeout(hung);
          clearTimeout(deaf);
          signal.removeEventListener('abort', armGrace);
        });
      if (outcome.kind === 'canceled') throw new Error('generation canceled');
      if (outcome.kind === 'error') {
        const message = String(outcome.event.message);
        if (outcome.event.kind === 'input') throw new ImageInputError(message);
        if (outcome.event.fatal === true) {
          // Defunct before this job's answer goes out: a job sent meanwhile would reach a dying worker.
          retire(child, `the GPU context is poisoned (${message})`);
          child.kill();
          throw new RendererFailure(`the GPU context is poisoned (${message}); the worker is being restarted`);
        }
        throw new Error(`generation failed: ${message}`);
      }
      const peak = outcome.event.peak_vram_bytes;
      return { video: await readFile(output), peakVramBytes: typeof peak === 'number' ? peak : undefined };
    } catch (err) {
      if (err instanceof WorkerExited) throw new RendererFailure(`${err.message}, during this generation; the worker is being restarted`);
      throw err;
    } finally {
      signal.removeEventListener('abort', cancel);
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    name: 'wan2.2',
    // The full judged call, so the first customer pays for no kernel selection or allocator growth.
    warmUp: { image: greyPng(WAN_OUTPUT.width, WAN_OUTPUT.height), prompt: 'a calm landscape, slow camera pan', ...WAN_OUTPUT, seed: 0 },
    refuse(request) {
      for (const field of ['width', 'height', 'fps', 'frames'] as const) {
        if (request[field] !== WAN_OUTPUT[field]) {
          return {
            field: field === 'frames' ? 'num_frames' : field,
            msg: `Wan 2.2 is served as the validators ran it: ${WAN_OUTPUT.width}x${WAN_OUTPUT.height}, ${WAN_OUTPUT.frames} frames at ${WAN_OUTPUT.fps} fps; ${field} ${request[field]} was asked`,
          };
        }
      }
      return null;
    },
    async load(dir, signal) {
      if (dir === null) throw new Error('Wan 2.2 needs a snapshot directory (--model with --weights-dir or a weights cache)');
      const child = worker ?? (await spawnWorker());
      worker = child;
      try {
        await loadInto(child, dir, signal);
      } catch (err) {
        child.kill();
        worker = null;
        throw err;
      }
      snapshotDir = dir;
      watch(child);
    },
    async render(request, signal, onStep) {
      const child = worker;
      if (!child?.alive) throw new RendererFailure('the Wan worker is restarting');
      if (inFlight) throw new RendererFailure('the Wan worker is already generating');
      inFlight = true;
      try {
        return await generate(child, request, signal, onStep);
      } finally {
        inFlight = false;
      }
    },
    onDefunct(listener) {
      defunctListeners.push(listener);
    },
    async close() {
      closing = true;
      await worker?.stop();
      worker = null;
    },
  };
}

/** gpu/worker from this file's folder in the sources (gpu/server) or in the build (dist/gpu/server). */
function findWorkerDir(): string {
  const candidates = ['../worker', '../../../gpu/worker'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((dir) => existsSync(join(dir, 'leoma_worker', '__main__.py')));
  if (!found) throw new Error(`gpu/worker (leoma_worker) not found next to the server; looked in ${candidates.join(', ')}; pass --worker-dir`);
  return found;
}
