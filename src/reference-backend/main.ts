import { parseArgs } from 'node:util';
import { startReferenceBackend } from './server.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '7001' },
    delay: { type: 'string', default: '0' },
    'fail-rate': { type: 'string', default: '0' },
    'max-concurrency': { type: 'string', default: '1' },
    busy: { type: 'boolean', default: false },
    garbage: { type: 'boolean', default: false },
  },
  strict: true,
});

function numberArg(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    console.error(`--${name} must be a number in ${min}..${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const backend = await startReferenceBackend({
  host: values.host,
  port: numberArg('port', values.port, 0, 65535),
  delayMs: numberArg('delay', values.delay, 0, 3_600_000),
  failRate: numberArg('fail-rate', values['fail-rate'], 0, 1),
  maxConcurrency: numberArg('max-concurrency', values['max-concurrency'], 1, 1024),
  busy: values.busy,
  garbage: values.garbage,
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
