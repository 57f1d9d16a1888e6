import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inject } from 'vitest';

const BUILD_TIMEOUT_MS = 300_000;

/**
 * The production build (tsconfig.build.json) that tests needing real processes run, compiled at
 * most once per test run however many files ask for it: compiling costs tens of seconds of CPU
 * on a two-core machine, and files asking at once would each pay it. The first caller takes a
 * lock directory and builds; the others wait for its verdict. Returns the output directory
 * (`<dir>/src/app/main-worker.js`, `<dir>/tools/dev/dev.js`, …).
 */
export async function sharedBuild(): Promise<string> {
  const dir = inject('buildDir');
  const lock = `${dir}.lock`;
  const verdict = `${dir}.verdict`;
  mkdirSync(dirname(dir), { recursive: true });
  let owner = false;
  try {
    mkdirSync(lock);
    owner = true;
  } catch {
    // Another test file holds the lock and is building.
  }
  if (owner) {
    try {
      // Emit only: the suite's typecheck step has already checked these sources, and emitting
      // without checking takes seconds instead of a minute.
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', dir, '--noCheck'], { stdio: 'inherit' });
      writeFileSync(verdict, 'ok');
    } catch (error) {
      writeFileSync(verdict, `build failed: ${(error as Error).message}`);
      throw error;
    }
    return dir;
  }
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (!existsSync(verdict)) {
    if (Date.now() > deadline) throw new Error(`the shared build in ${dir} did not finish within ${BUILD_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const result = readFileSync(verdict, 'utf8');
  if (result !== 'ok') throw new Error(result);
  return dir;
}

export interface BuiltProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * Runs an entry point of the shared build (e.g. `src/app/main-worker.js`) as a pod would, with
 * this file's environment plus `env`, and resolves once it printed `ready`; refuses if it exits
 * first or takes longer than a minute.
 */
export async function spawnBuilt(dir: string, script: string, ready: string, env: Record<string, string> = {}): Promise<BuiltProcess> {
  const child = spawn(process.execPath, [`${dir}/${script}`], { env: { ...process.env, NODE_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!out.includes(ready)) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, exited };
}
