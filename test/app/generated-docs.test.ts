import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_ENVS } from '../../src/app/validate-all.js';
import { declaredEnvs, envExample, featureFolders, layoutTable, settingsTable } from '../support/generated-docs.js';

// The README's table of feature folders, docs/operations/settings.md's table of every variable and .env.example are generated from the code, like the
// error-code table: UPDATE_GENERATED_DOCS=1 (npm run docs:generate) rewrites them; otherwise a
// stale copy fails here.
const update = Boolean(process.env.UPDATE_GENERATED_DOCS);
const START = '<!-- layout:start (generated from each src/<feature>/index.ts: npm run docs:generate) -->';
const END = '<!-- layout:end -->';

describe('generated docs', () => {
  it('every feature folder says what it holds, first thing in its index.ts', () => {
    expect(
      featureFolders()
        .filter((f) => !f.holds)
        .map((f) => `src/${f.folder}/index.ts`),
    ).toEqual([]);
  });

  it('the README layout table is the feature folders', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, 'README markers').toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const block = `${START}\n${layoutTable()}\n${END}`;
    if (update) writeFileSync('README.md', readme.slice(0, start) + block + readme.slice(end + END.length));
    else expect(readme.slice(start, end + END.length), 'README layout table is stale: run `npm run docs:generate`').toBe(block);
  });

  it('every env schema is validated at start (src/app/validate-all.ts)', async () => {
    const declared = await declaredEnvs();
    expect(declared.length).toBeGreaterThan(20);
    const validated = new Set(ALL_ENVS.map((e) => e.module));
    expect(declared.filter(({ env }) => !validated.has(env.module)).map(({ file }) => file)).toEqual([]);
  });

  it('docs/operations/settings.md lists every variable of every module with its default and doc', async () => {
    const file = 'docs/operations/settings.md';
    const [begin, finish] = ['<!-- settings:start (generated from src/**/*.env.ts: npm run docs:generate) -->', '<!-- settings:end -->'];
    const doc = readFileSync(file, 'utf8');
    const [start, end] = [doc.indexOf(begin), doc.indexOf(finish)];
    expect(start, 'settings markers').toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const table = await settingsTable();
    for (const { env } of await declaredEnvs()) for (const name of Object.keys(env.shape)) expect(table).toContain(`| \`${name}\` |`);
    const block = `${begin}\n${table}\n${finish}`;
    if (update) writeFileSync(file, doc.slice(0, start) + block + doc.slice(end + finish.length));
    else expect(doc.slice(start, end + finish.length), `${file} is stale: run \`npm run docs:generate\``).toBe(block);
  });

  it('.env.example lists every variable with its doc and default', async () => {
    const generated = await envExample();
    expect(generated).toContain('# --- app (src/platform/config/app.env.ts)');
    expect(generated).toMatch(/^# PORT=3000$/m);
    if (update) writeFileSync('.env.example', generated);
    else expect(readFileSync('.env.example', 'utf8'), '.env.example is stale: run `npm run docs:generate`').toBe(generated);
  });
});
