import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../../tools/dev/free-port.js';
import { sharedBuild } from '../support/shared-build.js';

/**
 * `npm run dev` as a new user meets it: as root (this machine's tests run as root) from a private
 * directory, then the README's Quickstart pasted as is, then Ctrl-C from a terminal, which
 * signals the whole foreground process group, not just the launcher.
 */
const root = process.getuid?.() === 0;
// mkdtemp makes a 0700 directory: a clone in root's home is in the same position.
const privateDir = mkdtempSync(join(tmpdir(), 'leoma-dev-'));
const data = join(privateDir, 'clone', '.data');
const cleanup: string[] = [privateDir];
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) if (child.pid) signalGroup(child.pid, 'SIGKILL');
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  rmSync('video.mp4', { force: true });
});

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

const groupAlive = (pid: number) => signalGroup(pid, 0);

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

interface Dev {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

/** Starts the launcher in its own process group, as a shell does for a foreground job. */
async function startDev(command: string, args: string[], port: number): Promise<Dev> {
  const child = spawn(command, args, { env: { ...process.env, LEOMA_DEV_DATA: data, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 150_000;
  while (!out.includes('Ctrl-C stops everything') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
  expect(out).toContain('Ctrl-C stops everything');
  return { child, output: () => out, exited };
}

/** Every 127.0.0.1 port the launcher printed: api, reference backends, postgres, redis, s3. */
const printedPorts = (out: string) => [...new Set([...out.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])))];

async function expectAllGone(dev: Dev, ports: number[]): Promise<void> {
  const timeout = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000));
  expect(await Promise.race([dev.exited.then(() => 'exited' as const), timeout]), dev.output().slice(-2000)).toBe('exited');
  // Postgres and redis shut down on their own signal; give them a moment to leave the group.
  const deadline = Date.now() + 10_000;
  while (groupAlive(dev.child.pid!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(groupAlive(dev.child.pid!), 'a process of the dev command outlived it').toBe(false);
  expect(ports.length).toBeGreaterThanOrEqual(6);
  for (const p of ports) expect(await portOpen(p), `port ${p} still open`).toBe(false);
}

/** The fenced bash blocks between the README's quickstart markers, verbatim. */
function quickstartBlocks(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('<!-- quickstart:start -->'), readme.indexOf('<!-- quickstart:end -->'));
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('npm run dev', () => {
  it('starts as root from a private directory, runs the README Quickstart verbatim, and a Ctrl-C to the process group stops everything', async () => {
    const port = await freePort();
    const dev = await startDev('npm', ['run', 'dev'], port);
    const out = dev.output();
    if (root) {
      const relocated = /PostgreSQL data: (\S+)/.exec(out);
      expect(relocated, 'postgres data should move out of the private directory').not.toBeNull();
      cleanup.push(dirname(relocated![1]!));
    }
    const exportLine = out
      .split('\n')
      .find((l) => l.trim().startsWith('export LEOMA_API_URL='))!
      .trim();
    expect(exportLine).toContain(`http://127.0.0.1:${port}`);

    const blocks = quickstartBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    // One shell, like a terminal: the export line as printed, then each block as written.
    const script = [exportLine, ...blocks].join('\n');
    const ran = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 120_000 });
    expect(ran).toMatch(/"status":"succeeded"/);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height,nb_frames', '-of', 'json', 'video.mp4']).toString(),
    );
    // Wan 2.2's native output, as the subnet generates it: 5 s at 16 fps is 81 frames.
    expect(probe).toMatchObject({ streams: [{ codec_name: 'h264', width: 832, height: 480, nb_frames: '81' }] });
    // The JSON example (a data: URI) was accepted too.
    expect(ran.match(/"object":"video"/g)?.length).toBeGreaterThanOrEqual(2);

    signalGroup(dev.child.pid!, 'SIGINT');
    await expectAllGone(dev, printedPorts(out));
  }, 300_000);

  it('reports a worker that dies, and a Ctrl-C after that still stops everything', async () => {
    // The same launcher from the suite's shared build: the compile `npm run dev` does was tested above.
    const dev = await startDev(process.execPath, [join(await sharedBuild(), 'tools/dev/dev.js')], await freePort());
    const ps = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(dev.child.pid)], { encoding: 'utf8' });
    const worker = Number(/^\s*(\d+)\s.*main-worker\.js/m.exec(ps)![1]);
    process.kill(worker, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (!dev.output().includes('worker exited') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(dev.output()).toContain('worker exited (killed by SIGKILL)');
    signalGroup(dev.child.pid!, 'SIGINT');
    await expectAllGone(dev, printedPorts(dev.output()));
    expect(existsSync(data)).toBe(true);
  }, 200_000);
});
