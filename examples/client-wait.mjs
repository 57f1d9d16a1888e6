// One video with the typed client: upload a local image, wait for the result, print it.
//   LEOMA_API_URL=… LEOMA_API_KEY=lk_test_… node examples/client-wait.mjs image.png
import { readFile } from 'node:fs/promises';
// In your project: npm install @leoma/sdk, then import from '@leoma/sdk' (here the repository's own build).
import { createLeomaClient, LeomaProblemError } from 'leoma-api/client';

const leoma = createLeomaClient({ baseUrl: process.env.LEOMA_API_URL, apiKey: process.env.LEOMA_API_KEY });
try {
  // Retries (429/5xx, honouring Retry-After) and the Idempotency-Key are the client's job.
  const created = await leoma.videos.create({ prompt: 'slow push-in on the subject', duration_seconds: 1, image: await readFile(process.argv[2]) });
  // Follows the video's event stream; polls when streams are unavailable.
  const video = await leoma.waitForVideo(created.id, { timeoutMs: 120_000 });
  console.log(JSON.stringify({ id: video.id, status: video.status, url: video.output?.url ?? null }));
  for await (const recent of leoma.videos.list({ limit: 10 })) console.error(`${recent.id} ${recent.status}`);
  process.exitCode = video.status === 'succeeded' ? 0 : 1;
} catch (error) {
  if (!(error instanceof LeomaProblemError)) throw error;
  console.error(`${error.code}: ${error.message}`); // `code` is typed: one of the API's documented codes
  process.exitCode = 1;
}
