// dist/cjs holds CommonJS inside a "type": "module" package: its own package.json tells Node (and
// TypeScript, for the .d.ts beside it) so.
import { writeFileSync } from 'node:fs';

writeFileSync(new URL('./dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
