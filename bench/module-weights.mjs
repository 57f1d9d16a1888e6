// What the api's module graph costs at rest, and who loads it (issue 36, idle memory): imports
// the built api module (as main-api does, without starting anything), records every module file
// Node loads (ESM and CommonJS, through a module hook) with its source size, collects garbage the
// way the api does once it is ready, and prints RSS, the V8 heap and the source bytes by package.
//   node --max-semi-space-size=16 bench/module-weights.mjs [dist=dist] [top=30]
import { registerHooks } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

const [distArg, topArg] = process.argv.slice(2);
const dist = resolve(distArg ?? 'dist');
const top = Number(topArg ?? 30);
const loaded = new Map();
registerHooks({
  load(url, context, nextLoad) {
    const result = nextLoad(url, context);
    if (url.startsWith('file:')) {
      const bytes = result.source?.length ?? statSync(fileURLToPath(url)).size;
      loaded.set(fileURLToPath(url), bytes);
    }
    return result;
  },
});

// As main-api does: its first import settles how modules load (app/load-on-use.ts), where a build has it.
if (existsSync(resolve(dist, 'src/app/load-on-use.js'))) await import(pathToFileURL(resolve(dist, 'src/app/load-on-use.js')).href);
await import(pathToFileURL(resolve(dist, 'src/platform/config/app.env.js')).href);
await import(pathToFileURL(resolve(dist, 'src/app/create-api-app.js')).href);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
for (let i = 0; i < Number(process.env.GCS ?? 1); i++) gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });

const mb = (n) => (n / 1048576).toFixed(1);
const where = (file) => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return pkg ? pkg[1] : 'ours';
};
const byPackage = new Map();
for (const [file, bytes] of loaded) {
  const p = byPackage.get(where(file)) ?? { bytes: 0, files: 0 };
  p.bytes += bytes;
  p.files += 1;
  byPackage.set(where(file), p);
}
const total = [...loaded.values()].reduce((a, b) => a + b, 0);
const mem = process.memoryUsage();
console.log(`RSS ${mb(mem.rss)} MB, heap used ${mb(mem.heapUsed)} MB, ${loaded.size} module files, ${mb(total)} MB of source`);
console.log('\nsource by package:');
for (const [name, p] of [...byPackage].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)) {
  console.log(`${mb(p.bytes).padStart(6)} MB ${String(p.files).padStart(5)} files  ${name}`);
}
if (process.env.MODULES_UNDER) {
  console.log(`\nfiles under ${process.env.MODULES_UNDER}:`);
  for (const [file, bytes] of [...loaded]
    .filter(([f]) => f.includes(process.env.MODULES_UNDER))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    console.log(`${(bytes / 1024).toFixed(0).padStart(6)} KB  ${file.slice(file.indexOf(process.env.MODULES_UNDER))}`);
  }
}
process.exit(0);
