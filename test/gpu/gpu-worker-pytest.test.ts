import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The Python worker's own unit tests (gpu/worker/tests: the encoder, the protocol's edges, the
// fatal-error rule, cancellation) under Debian's python3, counted in this suite.
describe("the Wan worker's pytest suite", () => {
  it('passes under Debian python3 with the stand-in torch/diffusers', async () => {
    const { stdout } = await run('/usr/bin/python3', ['-m', 'pytest', 'gpu/worker/tests', '-q', '-p', 'no:cacheprovider', '-rfE'], {
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 240_000,
    }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`pytest failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    });
    const passed = Number(/(\d+) passed/.exec(stdout)?.[1] ?? 0);
    expect(stdout).not.toMatch(/\d+ (failed|error)/);
    expect(passed).toBeGreaterThanOrEqual(15);
  }, 300_000);
});
