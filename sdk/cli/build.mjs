// One ESM file, dist/cli.js, with its shebang; @leoma/sdk and Node's modules stay imports.
// Types are checked by the repository's `tsc` (the CLI's sources are in its program); rolldown only transpiles and joins.
import { rolldown } from 'rolldown';

const bundle = await rolldown({ input: 'src/cli.ts', platform: 'node', external: ['@leoma/sdk', /^node:/], logLevel: 'warn' });
await bundle.write({ file: 'dist/cli.js', format: 'esm' });
