import { generateKey, type KeyKind } from '../src/core/auth/api-key-format.js';

/** Prints a new well-formed key, e.g. for BOOTSTRAP_OPERATOR_KEY: `node dist/scripts/new-key.js op`. */
const kind = (process.argv[2] ?? 'op') as KeyKind;
if (!['live', 'test', 'op'].includes(kind)) {
  process.stderr.write('usage: node dist/scripts/new-key.js live|test|op\n');
  process.exit(2);
}
process.stdout.write(`${generateKey(kind)}\n`);
