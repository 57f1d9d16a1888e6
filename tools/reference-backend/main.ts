import { parseArgs } from 'node:util';
import { startReferenceBackend } from './server.js';

const USAGE = `Reference GPU backend: Cog HTTP predictions (PUT/POST /predictions, cancel, GET /health-check)
and the generate protocol (POST /generate → MP4 bytes, GET /health), rendering real MP4s with ffmpeg.

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

const backend = await startReferenceBackend({
  host: values.host,
  port: numberArg('port', values.port, 0, 65535),
  delayMs: numberArg('delay', values.delay, 0, 3_600_000),
  failRate: numberArg('fail-rate', values['fail-rate'], 0, 1),
  maxConcurrency: numberArg('max-concurrency', values['max-concurrency'], 1, 1024),
  busy: values.busy,
  garbage: values.garbage,
  renderSize: sizeArg(values['render-size']),
});
console.log(`reference backend listening on ${backend.url}`);

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
