// A CSV batch and its manifest: submit a catalogue, follow its progress, save the results.
//   LEOMA_API_URL=… LEOMA_API_KEY=lk_test_… [LEOMA_DESTINATION=dst_…] node examples/csv-batch.mjs catalogue.csv [results.csv]
// catalogue.csv has a header row (custom_id,image,prompt and optionally duration_seconds,resolution,
// aspect_ratio,seed,camera,negative_prompt). An `image` cell is an https URL, a data: URI, a file_ id,
// or a path to a local image (relative to the CSV), which this script uploads first, straight to
// storage through presigned URLs (POST /v1/files/uploads, then a PUT and a complete for each).
// With LEOMA_DESTINATION (a destination made with POST /v1/destinations), every video is also
// copied to your bucket as <custom_id>.mp4, and the batch's manifest beside them when it ends.
// Prints the path of the manifest: one row per catalogue row, in catalogue order.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
// In your project: npm install @leoma/sdk, then import from '@leoma/sdk' (here the repository's own build).
import { createLeomaClient, LeomaProblemError } from 'leoma-api/client';

const [catalogue, out = catalogue.replace(/(\.csv)?$/i, '.results.csv')] = process.argv.slice(2);
const baseUrl = process.env.LEOMA_API_URL;
const apiKey = process.env.LEOMA_API_KEY;
const destination = process.env.LEOMA_DESTINATION;
const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };
const leoma = createLeomaClient({ baseUrl, apiKey });
const ok = ({ data, error }) => {
  if (error) throw new LeomaProblemError(error);
  return data;
};

try {
  // Local images go up once each, straight to storage: URLs for up to 1,000 at a time, a PUT of
  // each image's bytes, then a complete, which checks it; the batch then names them by file_ id.
  const rows = parse(await readFile(catalogue), { columns: true, bom: true, skip_empty_lines: true });
  const local = [...new Set(rows.filter((r) => !/^(https:|data:|file_)/.test(r.image)).map((r) => resolve(dirname(catalogue), r.image)))];
  const uploaded = new Map();
  for (let from = 0; from < local.length; from += 1_000) {
    const paths = local.slice(from, from + 1_000);
    const images = await Promise.all(paths.map((path) => readFile(path)));
    const files = paths.map((path, i) => ({
      filename: basename(path),
      content_type: TYPES[extname(path).toLowerCase()] ?? 'image/png',
      bytes: images[i].length,
    }));
    const { data } = ok(await leoma.api.POST('/v1/files/uploads', { body: { files } }));
    for (const [i, upload] of data.entries()) {
      const put = await fetch(upload.upload_url, { method: upload.upload_method, headers: upload.upload_headers, body: images[i] });
      if (!put.ok) throw new Error(`PUT ${paths[i]}: ${put.status}`);
      ok(await leoma.api.POST('/v1/files/{id}/complete', { params: { path: { id: upload.id } } }));
      uploaded.set(paths[i], upload.id);
    }
  }
  for (const row of rows) if (!/^(https:|data:|file_)/.test(row.image)) row.image = uploaded.get(resolve(dirname(catalogue), row.image));

  // The whole CSV is one multipart part; a bad row refuses the batch (422 names each row) before anything runs.
  const form = new FormData();
  form.set('file', new Blob([stringify(rows, { header: true })], { type: 'text/csv' }), 'catalogue.csv');
  if (destination) {
    form.set('destination', destination);
    form.set('destination_key', '{custom_id}.mp4');
  }
  let batch = ok(await leoma.api.POST('/v1/batches', { body: form, bodySerializer: (body) => body }));
  console.error(`${batch.id}: ${batch.request_counts.total} videos`);

  // Server-Sent Events until the batch settles; polling if the stream is refused or drops.
  const settled = (b) => b.status === 'completed' || b.status === 'failed' || (b.status === 'canceled' && b.request_counts.running === 0);
  let last = '';
  const report = (b) => {
    const line = `${b.status} ${JSON.stringify(b.request_counts)}`;
    if (line !== last) console.error((last = line));
  };
  try {
    const stream = await fetch(`${baseUrl}/v1/batches/${batch.id}/events`, { headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' } });
    let buffered = '';
    for await (const chunk of stream.ok ? stream.body.pipeThrough(new TextDecoderStream()) : []) {
      const lines = (buffered += chunk).split('\n');
      buffered = lines.pop();
      for (const line of lines) if (line.startsWith('data:')) report(JSON.parse(line.slice(5)));
    }
  } catch (error) {
    console.error(`event stream: ${error.message}; polling`);
  }
  for (;;) {
    batch = ok(await leoma.api.GET('/v1/batches/{id}', { params: { path: { id: batch.id } } }));
    report(batch);
    if (settled(batch)) break;
    await new Promise((r) => setTimeout(r, 2_000));
  }

  // The manifest: custom_id, video_id, status, content_url (a link to the API that
  // never expires: fetch it with your key and it redirects to the file, saved as <custom_id>.mp4), duration_seconds, error_code, error_message.
  // With a destination: the manifest is written to your bucket once the batch has ended (retried while the bucket refuses).
  while (destination && batch.manifest_delivery?.status === 'pending') {
    await new Promise((r) => setTimeout(r, 1_000));
    batch = ok(await leoma.api.GET('/v1/batches/{id}', { params: { path: { id: batch.id } } }));
  }
  if (destination) console.error(`manifest ${batch.manifest_delivery.status}: ${batch.manifest_delivery.key ?? batch.manifest_delivery.last_error}`);
  const format = out.endsWith('.jsonl') ? 'jsonl' : 'csv';
  const manifest = ok(await leoma.api.GET('/v1/batches/{id}/results', { params: { path: { id: batch.id }, query: { format } }, parseAs: 'text' }));
  await writeFile(out, manifest);
  console.log(out);
  process.exitCode =
    batch.status === 'completed' && batch.request_counts.failed === 0 && (!destination || batch.manifest_delivery.status === 'delivered') ? 0 : 1;
} catch (error) {
  if (!(error instanceof LeomaProblemError)) throw error;
  console.error(`${error.code}: ${error.message}`);
  for (const row of error.problem.rows ?? [])
    console.error(`  row ${row.row} (${row.custom_id}): ${row.errors.map((e) => `${e.param} ${e.message}`).join('; ')}`);
  process.exitCode = 1;
}
