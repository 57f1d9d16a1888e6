// The loopback registry of the weights bench, in its own process (as a real registry would be):
// writes a synthetic Wan-shaped snapshot of the requested size to disk, pushes it to a fake Hippius
// hub (files of 256 MiB and more as chunked-v2: 4 MiB chunks in 64 MiB packs, as hippius-hub 0.6
// stores them), prints one JSON line ({url, token, ref}) and serves until its stdin closes.
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { bufferContent, fileContent } from '../test/support/fake-weights/content.js';
import { FakeOciRegistry, type HubFile } from '../test/support/fake-weights/fake-oci-registry.js';
import { wanSnapshot } from '../test/support/fake-weights/wan-snapshot.js';

const [dir, bytesArg] = process.argv.slice(2);
const total = Number(bytesArg);
const MiB = 1 << 20;
const token = randomBytes(16).toString('hex');

async function writeRandom(path: string, size: number): Promise<void> {
  const handle = await open(path, 'w');
  for (let left = size; left > 0; left -= 4 * MiB) await handle.write(randomBytes(Math.min(4 * MiB, left)));
  await handle.close();
}

const shares: Array<[string, number]> = [
  ['transformer/diffusion_pytorch_model.safetensors', 0.39],
  ['transformer_2/diffusion_pytorch_model.safetensors', 0.39],
  ['text_encoder/model.safetensors', 0.195],
  ['vae/diffusion_pytorch_model.safetensors', 0.025],
];
const chunkAbove = Math.min(256 * MiB, Math.floor(total / 8));
const chunkSize = 4 * MiB;
const files: HubFile[] = [];
for (const { path, data } of wanSnapshot({ weights: {} })) files.push({ path, content: bufferContent(data) });
for (const [i, [path, share]] of shares.entries()) {
  const size = Math.floor(total * share);
  const onDisk = join(dir!, `shard-${i}`);
  await writeRandom(onDisk, size);
  const content = await fileContent(onDisk, 0, size);
  const chunks = size >= chunkAbove ? Array.from({ length: Math.ceil(size / chunkSize) }, (_, k) => Math.min(chunkSize, size - k * chunkSize)) : undefined;
  files.push({ path, content, chunks });
}
const registry = await new FakeOciRegistry(token).start();
const repo = 'bench/leoma-synthetic';
const digest = await registry.push(repo, files, 'chunked-v2', 16);
process.stdout.write(`${JSON.stringify({ url: registry.url, token, ref: { repo, digest } })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void registry.stop().then(() => process.exit(0)));
