import { readFile } from 'node:fs/promises';
import type commander from 'commander';
import { createLeomaClient, type LeomaClient, type Video } from '../../sdk/js/src/index.js';
import { ApiError } from './api-client.js';
import { fields, print, type Io } from './output.js';

const videoRow = (v: Video) => ({ id: v.id, status: v.status, duration_seconds: v.duration_seconds, resolution: v.resolution, created_at: v.created_at });

/** `leoma videos …` with a tenant key, through the typed client (retries, idempotency, waitForVideo). */
export function addVideoCommands(program: commander.Command, env: NodeJS.ProcessEnv, io: Io): void {
  const client = (): LeomaClient => {
    if (!env.LEOMA_API_URL) throw new ApiError(0, 'config', 'Set LEOMA_API_URL (e.g. http://127.0.0.1:3000).');
    if (!env.LEOMA_API_KEY) throw new ApiError(0, 'config', 'Set LEOMA_API_KEY to a tenant key (lk_test_… or lk_live_…).');
    return createLeomaClient({ baseUrl: env.LEOMA_API_URL, apiKey: env.LEOMA_API_KEY });
  };
  const videos = program.command('videos').description('make, follow and list videos (tenant key)');
  videos
    .command('create')
    .requiredOption('--prompt <text>', 'what should happen in the video')
    .requiredOption('--image <file|url>', 'a local PNG/JPEG/WebP, an https URL, a data: URI or a file_ id')
    .option('--duration <seconds>', 'length in seconds', '5')
    .option('--resolution <r>', '480p or 720p')
    .option('--wait', 'wait until it is done (event stream, polling as fallback)')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const local = !/^(https:|data:|file_)/.test(o.image);
      const c = client();
      let video = await c.videos.create({
        prompt: o.prompt,
        duration_seconds: Number(o.duration),
        resolution: o.resolution,
        image: local ? await readFile(o.image) : o.image,
      });
      if (o.wait) video = await c.waitForVideo(video.id);
      print(io, o.json, video, () => fields(videoRow(video)));
    });
  videos
    .command('get <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o: Record<string, any>) => {
      const video = await client().videos.get(id);
      print(io, o.json, video, () => fields(videoRow(video)));
    });
  videos
    .command('list')
    .option('--limit <n>', 'how many, newest first', '20')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const rows: Video[] = [];
      for await (const v of client().videos.list()) if (rows.push(v) >= Number(o.limit)) break;
      print(io, o.json, rows, () => rows.map(videoRow));
    });
}
