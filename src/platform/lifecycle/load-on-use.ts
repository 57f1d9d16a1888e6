import { registerHooks } from 'node:module';

/** A CommonJS file of a dependency (the end of its path) and which of its `require`s to make on first use. */
interface Deferral {
  file: string;
  requires: RegExp;
}

/**
 * Dependencies that, as they load, load code this service never runs; V8 keeps every loaded
 * module's source in the heap for as long as the process runs (issue 36: an idle api held ~29 MB of
 * it). Each such `require` is made when what it exports is first read instead, so nothing changes
 * for code that does use it.
 */
export const DEFERRALS: readonly Deferral[] = [
  // All seventeen drivers (MySQL, Oracle, SQL Server, MongoDB, SAP, Spanner, the SQLite family…),
  // with their query runners and schema builders, ~40 files: the factory creates the one a
  // DataSource names, and ours only ever name PostgreSQL.
  { file: '/typeorm/driver/DriverFactory.js', requires: /^\.\/[\w-]+\/\w+Driver$/ },
  // libphonenumber-js with its largest metadata (160 KB of JSON, parsed), for @IsPhoneNumber: we
  // validate no phone number.
  { file: '/class-validator/cjs/decorator/string/IsPhoneNumber.js', requires: /^libphonenumber-js\/max$/ },
];

/** `const MysqlDriver_1 = require("./mysql/MysqlDriver");`: how TypeScript compiles an import to CommonJS. */
const REQUIRE_LINE = /^const (\w+) = require\("([^"]+)"\);$/gm;
const LAZY_MODULE = 'function loadOnUse(load) { let loaded; return new Proxy({}, { get: (_target, key) => (loaded ??= load())[key] }); }';

/**
 * `source` with each `require` line whose specifier `requires` matches made on first use. A file
 * that reads differently (another version of the dependency) is returned as it is: it then loads
 * everything, as without this.
 */
export function deferRequires(source: string, requires: RegExp): string {
  const rewritten = source.replace(REQUIRE_LINE, (line, name: string, specifier: string) =>
    requires.test(specifier) ? `const ${name} = loadOnUse(() => require(${JSON.stringify(specifier)}));` : line,
  );
  return rewritten === source ? source : `${rewritten}\n${LAZY_MODULE}\n`;
}

/**
 * Installs the rewrite for the files DEFERRALS names, as Node loads them. It must come before
 * anything loads those dependencies: the api and worker entry points import app/load-on-use.ts first.
 */
export function loadOnUse(deferrals: readonly Deferral[] = DEFERRALS): void {
  registerHooks({
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      const deferral = deferrals.find((d) => url.endsWith(d.file));
      if (!deferral || loaded.source == null) return loaded;
      return { ...loaded, source: deferRequires(String(loaded.source), deferral.requires) };
    },
  });
}
