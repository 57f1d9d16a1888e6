// Checks one invoice's burn proof against the Bittensor chain alone: no Leoma API involved.
//   SUBTENSOR_WS_URL=wss://entrypoint-finney.opentensor.ai:443 node examples/verify-burn-proof.mjs proof.json
// proof.json is one element of `allocations` from GET /v1/billing/invoices/{id}/burn-proof.
// Exit code 0: the allocation is in the Merkle tree whose root the burn's on-chain memo carries; 1: it is not.
// The hashing is written out here on purpose (not imported from the service), so an auditor can read
// the whole check in one file: docs/treasury-runbook.md, "Answering an auditor", describes the same.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ApiPromise, WsProvider } from '@polkadot/api';

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');
const hex = (h) => Buffer.from(h, 'hex');

/** sha256(0x00 ‖ "leoma-allocation:v1|<allocation id>|<sha256 hex of the invoice id>|<amount minor>|<currency>|<policy version>"). */
function leafOf(p) {
  const text = `leoma-allocation:v1|${p.allocation_id}|${sha256(Buffer.from(p.invoice_id ?? '', 'utf8'))}|${p.amount_minor}|${p.currency.toLowerCase()}|${p.policy_version}`;
  return sha256(Buffer.from([0]), Buffer.from(text, 'utf8'));
}

/** Each step's sibling goes on its `side`; an inner node is sha256(0x01 ‖ left ‖ right). */
const rootOf = (leaf, path) =>
  path.reduce((acc, s) => (s.side === 'left' ? sha256(Buffer.from([1]), hex(s.hash), hex(acc)) : sha256(Buffer.from([1]), hex(acc), hex(s.hash))), leaf);

/** The memo text the extrinsic carries: System.remark(_with_event), alone or inside Utility.batch(_all). */
function remarkOf(extrinsic) {
  const calls = extrinsic.method.section === 'utility' ? extrinsic.method.args[0] : [extrinsic.method];
  const remark = calls.find((c) => c.section === 'system' && (c.method === 'remarkWithEvent' || c.method === 'remark'));
  return remark ? Buffer.from(remark.args[0].toU8a(true)).toString('utf8') : null;
}

export async function verifyBurnProof(api, proof) {
  const anchor = proof.anchor;
  if (!anchor || anchor.block_number === null) return { ok: false, reason: 'the proof names no burn on chain yet (its month is not closed or not anchored)' };
  const blockHash = await api.rpc.chain.getBlockHash(anchor.block_number);
  const { block } = await api.rpc.chain.getBlock(blockHash);
  const extrinsic = block.extrinsics[anchor.extrinsic_index];
  if (!extrinsic) return { ok: false, reason: `block ${anchor.block_number} has no extrinsic ${anchor.extrinsic_index}` };
  const events = await (await api.at(blockHash)).query.system.events();
  const own = events.filter((e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.toNumber() === anchor.extrinsic_index);
  if (!own.some((e) => e.event.section === 'system' && e.event.method === 'ExtrinsicSuccess'))
    return { ok: false, reason: 'the burn extrinsic did not succeed' };
  const memo = remarkOf(extrinsic);
  const m = memo && /^leoma-burn:v2:([a-z]+_[0-9a-z]+):([0-9a-f]{64}):(\d{4}-\d{2}):([0-9a-f]{64}):([0-9a-f]{64})$/.exec(memo);
  if (!m) return { ok: false, reason: `the extrinsic carries no v2 burn memo (${memo ?? 'no remark'})` };
  const [, , , period, statementSha256, merkleRoot] = m;
  const root = rootOf(leafOf(proof), proof.path);
  if (period !== proof.period) return { ok: false, reason: `the memo is for ${period}, the proof for ${proof.period}` };
  if (root !== merkleRoot) return { ok: false, reason: `root ${root} computed from the proof is not the memo's ${merkleRoot}` };
  return {
    ok: true,
    reason: `allocation ${proof.allocation_id} (${proof.amount_minor} ${proof.currency}, policy v${proof.policy_version}) is in ${period}'s tree; root ${merkleRoot} is in the memo of extrinsic ${anchor.block_number}-${anchor.extrinsic_index} (statement sha256 ${statementSha256})`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const proof = JSON.parse(await readFile(process.argv[2], 'utf8'));
  const api = await ApiPromise.create({
    provider: new WsProvider(process.env.SUBTENSOR_WS_URL ?? 'wss://entrypoint-finney.opentensor.ai:443'),
    noInitWarn: true,
  });
  try {
    const result = await verifyBurnProof(api, proof);
    console.log(`${result.ok ? 'VALID' : 'NOT VALID'}: ${result.reason}`);
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await api.disconnect();
  }
}
