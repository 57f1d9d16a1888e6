import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sharedBuild } from '../support/shared-build.js';

// The layering (README, "How the code is laid out") as .dependency-cruiser.cjs states it.
const run = promisify(execFile);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function violations(...paths: string[]): Promise<Violation[]> {
  const { stdout } = await run('node_modules/.bin/depcruise', [...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch(
    // depcruise exits non-zero when it finds errors; the report is still on stdout.
    (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('architecture', () => {
  it('has no folder or file cycles and no import against the layers', async () => {
    const found = await violations('src', 'tools', 'gpu');
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 60_000);

  it('refuses an upward import (platform → feature), a deep import into another feature and a file cycle', async () => {
    const probes = {
      'src/platform/http/zz-architecture-probe.ts': "export { VideosModule } from '../../videos/videos.module.js';\n",
      'src/account/zz-architecture-probe.ts': "export { QuotaService } from '../limits/quota.service.js';\n",
      'src/account/zz-cycle-probe-a.ts': "import { b } from './zz-cycle-probe-b.js';\nexport const a = (): unknown => b;\n",
      'src/account/zz-cycle-probe-b.ts': "import { a } from './zz-cycle-probe-a.js';\nexport const b = (): unknown => a;\n",
    };
    try {
      for (const [path, text] of Object.entries(probes)) await writeFile(path, text);
      const rules = (await violations(...Object.keys(probes))).map((v) => `${v.rule.name}: ${v.from}`);
      expect(rules).toContain('platform-imports-platform-only: src/platform/http/zz-architecture-probe.ts');
      expect(rules).toContain('features-use-each-other-through-index: src/account/zz-architecture-probe.ts');
      expect(rules).toContain('no-file-cycles: src/account/zz-cycle-probe-a.ts');
    } finally {
      await Promise.all(Object.keys(probes).map((p) => rm(p, { force: true })));
    }
  }, 60_000);

  it('refuses ProblemException outside the edge, and allows it in a controller and FieldProblem as a type', async () => {
    const probes = {
      'src/videos/zz-architecture-probe.service.ts': "export { ProblemException } from '../platform/http/problem.js';\n",
      'src/videos/zz-architecture-probe.controller.ts': "export { ProblemException } from '../platform/http/problem.js';\n",
      'src/videos/zz-architecture-probe-types.ts': "export type { FieldProblem } from '../platform/http/problem.js';\n",
    };
    try {
      for (const [path, text] of Object.entries(probes)) await writeFile(path, text);
      const rules = (await violations(...Object.keys(probes))).map((v) => `${v.rule.name}: ${v.from}`);
      expect(rules).toEqual(['problem-exception-only-at-the-edge: src/videos/zz-architecture-probe.service.ts']);
    } finally {
      await Promise.all(Object.keys(probes).map((p) => rm(p, { force: true })));
    }
  }, 60_000);
});

describe('what the API process loads', () => {
  it('leaves the chain libraries (@polkadot/*, over 200 MB of RSS) until a request needs them, the OpenTelemetry SDK until tracing is on, and Stripe, nodemailer, undici and Swagger UI until first used', async () => {
    const dir = await sharedBuild();
    // Reports every @polkadot module and every OpenTelemetry SDK or exporter module (~6 MB of RSS,
    // issue 36; the API alone, @opentelemetry/api, is what the hooks use), and the SDKs the api needs
    // only for some requests (Stripe, nodemailer, undici, Swagger UI: ~18 MB of idle heap together),
    // the import graph resolves, without starting anything.
    const hooks = `import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) { if (/^@polkadot\\/|^@opentelemetry\\/(sdk-|exporter-)|^(stripe|nodemailer|undici|swagger-ui-express)$/.test(specifier)) console.log('lazy library loaded: ' + specifier + ' from ' + context.parentURL); return next(specifier, context); } });`;
    const probe = `await import(${JSON.stringify(`${dir}/src/app/create-api-app.js`)}); console.log('api module graph loaded');`;
    const { stdout } = await run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hooks)}`, '--input-type=module', '-e', probe], {
      cwd: process.cwd(),
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toContain('api module graph loaded');
    expect(stdout.split('\n').filter((l) => l.startsWith('lazy library loaded'))).toEqual([]);
  }, 120_000);
});
