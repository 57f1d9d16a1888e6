import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { errorCodeRows, errorCodeTable } from '../../src/app/error-codes.js';

// The catalogues (src/**/*.errors.ts) are the one list of problem codes: the spec's enum and the
// README table come from them, and every code the source answers with must be in them.
const README = 'README.md';
const START = '<!-- error-codes:start (generated from src/**/*.errors.ts: npm run error-codes) -->';
const END = '<!-- error-codes:end -->';

const sources = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'src/*.ts'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.endsWith('.errors.ts'))
  .map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));

/** Codes with the status they are sent with, where the source says it next to the code. */
function codesInSource(): { code: string; status?: number; at: string }[] {
  const patterns = [
    /ProblemException\(\s*(?<status>\d{3}),\s*'(?<code>[a-z_]+)'/g,
    /sendProblem\([^,]+,[^,]+,\s*(?<status>\d{3}),\s*'(?<code>[a-z_]+)'/g,
    /problemBody\(\s*(?<status>\d{3}),\s*'(?<code>[a-z_]+)'/g,
    /\[(?<status>\d{3}), '(?<code>[a-z_]+)'\]/g,
    /^\s*(?<status>\d{3}): '(?<code>[a-z_]+)',$/gm,
    /(?:WebhookUrlError|DomainError)\(\s*'(?<code>[a-z_]+)'/g,
  ];
  return sources.flatMap(({ file, text }) =>
    patterns.flatMap((re) =>
      [...text.matchAll(re)].map((m) => ({ code: m.groups!.code!, status: m.groups!.status ? Number(m.groups!.status) : undefined, at: file })),
    ),
  );
}

describe('error-code catalogues', () => {
  it('name every code the source answers with, at the status it is sent with', () => {
    const rows = new Map(errorCodeRows().map((r) => [r.code, r]));
    const found = codesInSource();
    expect(found.length).toBeGreaterThan(40);
    const missing = found.filter((f) => !rows.has(f.code) || (f.status !== undefined && !rows.get(f.code)!.statuses.includes(f.status)));
    expect(missing.map((m) => `${m.code}${m.status ? ` (${m.status})` : ''} in ${m.at}`)).toEqual([]);
  });

  it('hold no code the source never uses', () => {
    const unused = errorCodeRows().filter((r) => !sources.some(({ text }) => text.includes(`'${r.code}'`)));
    expect(unused.map((r) => r.code)).toEqual([]);
  });

  it('are the README table (UPDATE_ERROR_CODES=1 rewrites it)', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, 'README markers').toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const table = `${START}\n${errorCodeTable()}\n${END}`;
    if (process.env.UPDATE_ERROR_CODES) writeFileSync(README, readme.slice(0, start) + table + readme.slice(end + END.length));
    else expect(readme.slice(start, end + END.length), 'README error-code table is stale: run `npm run error-codes`').toBe(table);
  });

  it('are the enum of the Problem schema in the spec', () => {
    const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as {
      components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } };
    };
    expect(spec.components.schemas.Problem.properties.code.enum).toEqual(errorCodeRows().map((r) => r.code));
  });
});
