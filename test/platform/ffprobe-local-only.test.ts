import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeVideo } from '../../src/platform/media/ffprobe.js';

/** Backend output is untrusted bytes: ffprobe must read only the file itself, never what it points at. */
let dir: string;
let server: Server;
let hits = 0;
let base: string;
let mp4: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leoma-probe-'));
  mp4 = join(dir, 'real.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x64:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', mp4]);
  server = createServer((_req, res) => {
    hits++;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** ffprobe itself refused to open the input (not: opened it and found no usable video). */
const refused = /ffprobe rejected the file/;

const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('ffprobe on backend output', () => {
  it('reads a real MP4', async () => {
    expect(await probeVideo(mp4)).toMatchObject({ codec: 'h264', width: 64, height: 64 });
  });

  it('refuses a concat script, even one naming a real video next to it', async () => {
    const local = write('local.mp4', `ffconcat version 1.0\nfile 'real.mp4'\n`);
    await expect(probeVideo(local)).rejects.toThrow(refused);
    const remote = write('remote.mp4', `ffconcat version 1.0\nfile '${base}/secret.mp4'\n`);
    await expect(probeVideo(remote)).rejects.toThrow(refused);
    expect(hits).toBe(0);
  });

  it('refuses an HLS playlist pointing at a URL, fetching nothing', async () => {
    const hls = write('playlist.m3u8', `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${base}/segment.ts\n#EXT-X-ENDLIST\n`);
    await expect(probeVideo(hls)).rejects.toThrow(refused);
    expect(hits).toBe(0);
  });
});
