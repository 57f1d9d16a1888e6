import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 36 (idle memory): dependencies that load code the api never runs as they load (TypeORM
 * every driver, class-validator libphonenumber-js). With the load hook main-api and main-worker
 * install first, that code loads when it is first used: here, only the PostgreSQL driver, and a
 * MySQL DataSource or a phone number check still work. Each case runs in a fresh Node process
 * (this one has long since loaded both).
 */
const HOOK = pathToFileURL(resolve('src/platform/lifecycle/load-on-use.ts')).href;

interface Loaded {
  /** Folders of typeorm/driver/ with a loaded module, once TypeORM and class-validator are loaded. */
  drivers: string[];
  phoneNumbers: boolean;
  /** The same after a PostgreSQL DataSource, a MySQL one and a phone number check. */
  driversAfter: string[];
  phoneNumbersAfter: boolean;
  postgres: string;
  mysql: string;
  phone: boolean;
}

function run(withHook: boolean): Loaded {
  const script = `
    ${withHook ? `(await import(${JSON.stringify(HOOK)})).loadOnUse();` : ''}
    const { createRequire } = await import('node:module');
    const require = createRequire(process.cwd() + '/');
    const files = () => Object.keys(require.cache);
    const drivers = () => [...new Set(files().map((f) => /typeorm\\/driver\\/([^/]+)\\//.exec(f)?.[1]).filter(Boolean))].sort();
    const phoneNumbers = () => files().some((f) => f.includes('/libphonenumber-js/'));
    const { DataSource } = require('typeorm');
    const { isPhoneNumber } = require('class-validator');
    const before = { drivers: drivers(), phoneNumbers: phoneNumbers() };
    const postgres = new DataSource({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' }).driver.constructor.name;
    let mysql;
    try { mysql = new DataSource({ type: 'mysql' }).driver.constructor.name; } catch (e) { mysql = e.name; }
    const phone = isPhoneNumber('+41 44 668 18 00');
    process.stdout.write(JSON.stringify({ ...before, driversAfter: drivers(), phoneNumbersAfter: phoneNumbers(), postgres, mysql, phone }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out) as Loaded;
}

describe('load on use', () => {
  it('without it, every TypeORM driver and libphonenumber-js load with their packages (what it is for)', () => {
    const loaded = run(false);
    expect(loaded.drivers).toEqual(expect.arrayContaining(['mongodb', 'mysql', 'oracle', 'postgres', 'sqlserver']));
    expect(loaded.phoneNumbers).toBe(true);
  });

  it('with it, only what is used loads, and what is not still works when it is', () => {
    const loaded = run(true);
    // sqlserver/MssqlParameter is a parameter class TypeORM's index exports, not a driver.
    expect(loaded.drivers).toEqual(['sqlserver']);
    expect(loaded.phoneNumbers).toBe(false);
    expect(loaded.postgres).toBe('PostgresDriver');
    // The mysql package is not installed: TypeORM's own refusal, from the driver loaded on demand.
    expect(loaded.mysql).toBe('DriverPackageNotInstalledError');
    expect(loaded.driversAfter).toEqual(expect.arrayContaining(['mysql', 'postgres', 'sqlserver']));
    expect(loaded.driversAfter).not.toContain('oracle');
    expect(loaded.phone).toBe(true);
    expect(loaded.phoneNumbersAfter).toBe(true);
  });
});
