import { writeFile } from 'node:fs/promises';
import { WsProvider } from '@polkadot/api';
import { hexToU8a } from '@polkadot/util';

/**
 * `node dist/scripts/save-subtensor-metadata.js wss://entrypoint-finney.opentensor.ai:443 [file]`:
 * saves a node's raw runtime metadata (state_getMetadata) for the chain tests, which read it from
 * SUBTENSOR_METADATA_FILE (default ../shared/chain/subtensor-metadata-v16-spec424.scale).
 */
async function main(): Promise<void> {
  const [url, file = process.env.SUBTENSOR_METADATA_FILE ?? '../shared/chain/subtensor-metadata-v16-spec424.scale'] = process.argv.slice(2);
  if (!url) throw new Error('usage: save-subtensor-metadata <ws-url> [file]');
  const provider = new WsProvider(url);
  await provider.isReady;
  const hex = (await provider.send('state_getMetadata', [])) as string;
  await writeFile(file, hexToU8a(hex));
  await provider.disconnect();
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
