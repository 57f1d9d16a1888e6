import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { benchTable, runBench } from './bench.js';
import { parseModelArg, type ModelRef } from './model-ref.js';
import type { Renderer } from './renderer.js';
import { startGpuServer } from './server.js';
import { testCardRenderer } from './test-card-renderer.js';
import { wanRenderer, type Placement } from './wan-renderer.js';
import { localWeightSource, type WeightSource } from './weight-source.js';
import { weightFetcher } from './weights-fetcher.js';

const USAGE = `Leoma GPU backend: Cog HTTP predictions (PUT/POST /predictions, cancel, GET /health-check),
the generate protocol (POST /generate → MP4 bytes, GET /health) and Prometheus metrics (GET /metrics).
Start-up: fetch the weights → load → one warm-up generation → READY (STARTING until then).

  --renderer <name>         test-card (ffmpeg, no GPU; default) or wan2.2 (the Python worker)
  --model <repo>@<digest>   the model served (digest hf:<40 hex> or sha256:<64 hex>); jobs naming
                            another are refused with 422 model_not_loaded, answers attest it.
                            Without it any job is accepted and nothing is attested (test card only).
  --cache-dir <dir>         fetch --model by digest into this weight cache (gpu/weights; verified,
                            shared between snapshots; tokens from HF_TOKEN / HIPPIUS_HUB_TOKEN or
                            the clients' token files)
  --min-free-gib <n>        free space the cache keeps after a download, evicting old snapshots (default 50)
  --hf-endpoint <url>       Hugging Face endpoint (default https://huggingface.co)
  --hub-endpoint <url>      Hippius hub (OCI registry) endpoint
  --weights-dir <dir>       instead of --cache-dir: the snapshot directory already on this machine
                            (nothing is downloaded or verified)
  --placement <none|model>  wan2.2: none keeps the pipeline on the GPU (H200); model is model CPU
                            offload (H100, the subnet's pinned setting) (default model)
  --python <path>           wan2.2: the Python with torch and diffusers (default python3)
  --worker-dir <dir>        wan2.2: the folder holding leoma_worker (default: gpu/worker beside the server)
  --no-warm-up              skip the warm-up generation (the first customer pays for it)

  --bench <n>               start as above, render n videos one after another (832x480, 81 frames
                            at 16 fps, as the validators), print
                            seconds per video, peak VRAM, cold-start phases and the server's own
                            overhead (a table on stderr, JSON on stdout), and exit
  --bench-image <file>      the input image for --bench (default: a grey 832x480 PNG)

  --host <addr>             listen address (default 127.0.0.1)
  --port <n>                listen port, 0 for any (default 7001; any with --bench)
  --max-concurrency <n>     predictions at once; more are refused with 409 (default 1)
  --delay <ms>              wait this long before each prediction (default 0)
  --fail-rate <0..1>        fraction of predictions that fail with 500 (default 0)
  --busy                    report BUSY and refuse every prediction with 409
  --garbage                 answer "succeeded" with bytes that are not a video
  --render-size <WxH>       render every video at this size whatever is asked (a model with the wrong size)
  --help                    this text`;

const OPTIONS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string' },
  delay: { type: 'string', default: '0' },
  'fail-rate': { type: 'string', default: '0' },
  'max-concurrency': { type: 'string', default: '1' },
  busy: { type: 'boolean', default: false },
  garbage: { type: 'boolean', default: false },
  'render-size': { type: 'string' },
  renderer: { type: 'string', default: 'test-card' },
  model: { type: 'string' },
  'cache-dir': { type: 'string' },
  'min-free-gib': { type: 'string', default: '50' },
  'hf-endpoint': { type: 'string' },
  'hub-endpoint': { type: 'string' },
  'weights-dir': { type: 'string' },
  placement: { type: 'string', default: 'model' },
  python: { type: 'string', default: 'python3' },
  'worker-dir': { type: 'string' },
  'no-warm-up': { type: 'boolean', default: false },
  bench: { type: 'string' },
  'bench-image': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function parse() {
  try {
    return parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const values = parse();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function numberArg(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    console.error(`--${name} must be a number in ${min}..${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

function sizeArg(raw: string | undefined): { width: number; height: number } | null {
  if (raw === undefined) return null;
  const m = /^(\d{2,4})x(\d{2,4})$/.exec(raw);
  if (!m || Number(m[1]) % 2 || Number(m[2]) % 2) {
    console.error(`--render-size must be WIDTHxHEIGHT with even sides, got "${raw}"`);
    process.exit(2);
  }
  return { width: Number(m[1]), height: Number(m[2]) };
}

function modelArg(raw: string | undefined): ModelRef | null {
  if (raw === undefined) return null;
  try {
    return parseModelArg(raw);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const loadedModel = modelArg(values.model);
if (values.renderer !== 'test-card' && values.renderer !== 'wan2.2') fail(`--renderer must be test-card or wan2.2, got "${values.renderer}"`);
if (values.placement !== 'none' && values.placement !== 'model') fail(`--placement must be none or model, got "${values.placement}"`);
if ((values['weights-dir'] !== undefined || values['cache-dir'] !== undefined) && !loadedModel)
  fail('--weights-dir and --cache-dir need --model: the server attests the model its weights are');
if (values['weights-dir'] !== undefined && values['cache-dir'] !== undefined) fail('give --weights-dir or --cache-dir, not both');
if (values.renderer === 'wan2.2' && (!loadedModel || (values['weights-dir'] === undefined && values['cache-dir'] === undefined))) {
  fail('--renderer wan2.2 needs --model and its weights (--cache-dir, or --weights-dir)');
}

const log = (line: string) => console.error(line);
let weights: WeightSource | null = null;
if (values['weights-dir'] !== undefined) weights = localWeightSource(values['weights-dir']);
else if (values['cache-dir'] !== undefined && loadedModel) {
  weights = weightFetcher({
    cacheDir: values['cache-dir'],
    minFreeBytes: numberArg('min-free-gib', values['min-free-gib'], 0, 1_000_000) * 2 ** 30,
    hfEndpoint: values['hf-endpoint'],
    hubEndpoint: values['hub-endpoint'],
    serving: loadedModel,
    log,
  });
}
const renderSize = sizeArg(values['render-size']);
const renderer: Renderer =
  values.renderer === 'wan2.2'
    ? wanRenderer({ placement: values.placement as Placement, python: values.python, workerDir: values['worker-dir'], log })
    : testCardRenderer({ renderSize: () => renderSize });
if (values.renderer === 'wan2.2' && numberArg('max-concurrency', values['max-concurrency'], 1, 1024) !== 1)
  fail('--renderer wan2.2 renders one video at a time: --max-concurrency must be 1');

const backend = await startGpuServer({
  host: values.host,
  port: numberArg('port', values.port ?? (values.bench === undefined ? '7001' : '0'), 0, 65535),
  delayMs: numberArg('delay', values.delay, 0, 3_600_000),
  failRate: numberArg('fail-rate', values['fail-rate'], 0, 1),
  maxConcurrency: numberArg('max-concurrency', values['max-concurrency'], 1, 1024),
  busy: values.busy,
  garbage: values.garbage,
  renderSize,
  loadedModel,
  renderer,
  weights,
  warmUp: values['no-warm-up'] ? null : undefined,
});
if (values.bench !== undefined) {
  const videos = numberArg('bench', values.bench, 1, 1000);
  try {
    const image = values['bench-image'] === undefined ? undefined : await readFile(values['bench-image']);
    const report = await runBench(backend, { videos, image, request: { width: 832, height: 480, fps: 16, frames: 81 } });
    console.error(benchTable(report));
    console.log(JSON.stringify(report, null, 2));
  } catch (err) {
    console.error(`bench failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
  await backend.close();
  process.exit();
}
console.log(`GPU backend listening on ${backend.url} (starting)`);
void backend.ready.then(async () => {
  const health = await backend.health();
  console.log(health.status === 'SETUP_FAILED' ? `setup failed: ${health.progress.detail ?? ''}` : `GPU backend ${health.status}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    backend.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
