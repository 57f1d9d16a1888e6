import { parseArgs } from 'node:util';
import { parseModelArg, type ModelRef } from './model-ref.js';
import { startGpuServer } from './server.js';
import { localWeightSource } from './weight-source.js';

const USAGE = `Leoma GPU backend: Cog HTTP predictions (PUT/POST /predictions, cancel, GET /health-check),
the generate protocol (POST /generate → MP4 bytes, GET /health) and Prometheus metrics (GET /metrics).
The test-card renderer renders real MP4s with ffmpeg.

  --model <repo>@<digest>   the model served (digest hf:<40 hex> or sha256:<64 hex)); jobs naming
                            another are refused with 422 model_not_loaded, answers attest it.
                            Without it any job is accepted and nothing is attested.
  --weights-dir <dir>       the model's snapshot directory already on this machine (dev; nothing
                            is downloaded or verified)

  --host <addr>             listen address (default 127.0.0.1)
  --port <n>                listen port, 0 for any (default 7001)
  --max-concurrency <n>     predictions at once; more are refused with 409 (default 1)
  --delay <ms>              wait this long before each prediction (default 0)
  --fail-rate <0..1>        fraction of predictions that fail with 500 (default 0)
  --busy                    report BUSY and refuse every prediction with 409
  --garbage                 answer "succeeded" with bytes that are not a video
  --render-size <WxH>       render every video at this size whatever is asked (a model with the wrong size)
  --help                    this text`;

const OPTIONS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '7001' },
  delay: { type: 'string', default: '0' },
  'fail-rate': { type: 'string', default: '0' },
  'max-concurrency': { type: 'string', default: '1' },
  busy: { type: 'boolean', default: false },
  garbage: { type: 'boolean', default: false },
  'render-size': { type: 'string' },
  model: { type: 'string' },
  'weights-dir': { type: 'string' },
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

const loadedModel = modelArg(values.model);
if (values['weights-dir'] !== undefined && !loadedModel) {
  console.error('--weights-dir needs --model: the server attests the model its weights are');
  process.exit(2);
}

const backend = await startGpuServer({
  host: values.host,
  port: numberArg('port', values.port, 0, 65535),
  delayMs: numberArg('delay', values.delay, 0, 3_600_000),
  failRate: numberArg('fail-rate', values['fail-rate'], 0, 1),
  maxConcurrency: numberArg('max-concurrency', values['max-concurrency'], 1, 1024),
  busy: values.busy,
  garbage: values.garbage,
  renderSize: sizeArg(values['render-size']),
  loadedModel,
  weights: values['weights-dir'] === undefined ? null : localWeightSource(values['weights-dir']),
});
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
