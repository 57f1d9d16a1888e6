import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../tools/dev/free-port.js';
import { sharedBuild } from './support/shared-build.js';

let dev: ChildProcess | undefined;
afterAll(() => {
  dev?.kill('SIGKILL');
});

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** The README's first command, as a new user meets it: the printed curl must make a real video. */
describe('npm run dev', () => {
  it('starts everything, prints a working curl, and Ctrl-C leaves nothing listening', async () => {
    const build = await sharedBuild();
    const data = mkdtempSync(join(tmpdir(), 'leoma-dev-'));
    chmodSync(data, 0o755);
    const port = await freePort();
    dev = spawn(process.execPath, [join(build, 'tools/dev/dev.js')], { env: { ...process.env, LEOMA_DEV_DATA: data, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    dev.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    dev.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const deadline = Date.now() + 90_000;
    while (!out.includes('Ctrl-C stops everything') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(out).toContain('Ctrl-C stops everything');

    const curl = out.split('\n').find((l) => l.trim().startsWith('curl -s') && l.includes('-F prompt'))!.trim();
    const key = /Bearer (lk_test_\w+)/.exec(curl)![1];
    const created = JSON.parse(execFileSync('bash', ['-c', curl]).toString()) as { id: string; status: string };
    expect(created.status).toBe('queued');
    let video: { status: string; output?: { width: number; height: number } } = created;
    while (!['succeeded', 'failed'].includes(video.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      video = (await (await fetch(`http://127.0.0.1:${port}/v1/videos/${created.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as typeof video;
    }
    expect(video.status).toBe('succeeded');
    const file = join(data, 'out.mp4');
    execFileSync('curl', ['-sfL', `http://127.0.0.1:${port}/v1/videos/${created.id}/content`, '-H', `Authorization: Bearer ${key}`, '-o', file]);
    const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height,r_frame_rate,nb_frames:format=duration', '-of', 'json', file]).toString();
    // Wan 2.2's native output, as the subnet generates it: 5 s at 16 fps is 81 frames.
    expect(JSON.parse(probe)).toMatchObject({ streams: [{ codec_name: 'h264', width: 832, height: 480, r_frame_rate: '16/1', nb_frames: '81' }] });
    expect(Number(JSON.parse(probe).format.duration)).toBeCloseTo(5.06, 1);

    const listening = [...out.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    const exited = new Promise((r) => dev!.once('exit', r));
    dev.kill('SIGINT');
    await exited;
    for (const p of new Set(listening)) expect(await portOpen(p), `port ${p} still open`).toBe(false);
  }, 180_000);
});
