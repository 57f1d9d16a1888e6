import type { ProofCheck, ProofToCheck } from './invoice-proofs.service.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const HEX = /^[0-9a-f]{64}$/;
/** A proof of a tree of a billion leaves has 30 steps; anything far larger is not a proof. */
const MAX_PROOF_TEXT = 16_384;

/**
 * Reads the proof a customer pasted (one element of `allocations` from GET
 * /v1/billing/invoices/{id}/burn-proof); a message saying what is wrong otherwise.
 */
export function parseProof(text: string): ProofToCheck | string {
  if (text.length > MAX_PROOF_TEXT) return 'the proof is too long';
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'the proof is not JSON';
  }
  if (typeof p !== 'object' || p === null) return 'the proof is not a JSON object';
  const path = p.path;
  if (typeof p.allocation_id !== 'string' || (p.invoice_id !== null && typeof p.invoice_id !== 'string')) return 'allocation_id and invoice_id are needed';
  if (!/^-?\d{1,19}$/.test(String(p.amount_minor)) || typeof p.currency !== 'string' || !Number.isInteger(p.policy_version))
    return 'amount_minor, currency and policy_version are needed';
  if (typeof p.period !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(p.period)) return 'period (YYYY-MM) is needed';
  if (
    !Array.isArray(path) ||
    path.length > 64 ||
    !path.every((s: { side?: unknown; hash?: unknown }) => (s?.side === 'left' || s?.side === 'right') && typeof s.hash === 'string' && HEX.test(s.hash))
  )
    return 'path must be a list of {side: left|right, hash: 64 hex}';
  return {
    allocation_id: p.allocation_id,
    invoice_id: (p.invoice_id as string | null) ?? null,
    amount_minor: String(p.amount_minor),
    currency: p.currency,
    policy_version: p.policy_version as number,
    period: p.period,
    path,
  };
}

/** The page's "check a proof" form, and the result of the check when one was asked for. */
export function proofSection(pasted: string | undefined, result: ProofCheck | string | null): string {
  let outcome = '';
  if (typeof result === 'string') outcome = `<p id="proof-result" data-ok="false">Not checked: ${esc(result)}.</p>`;
  else if (result) {
    const where =
      result.anchor?.block_number !== null && result.anchor
        ? ` (block ${esc(result.anchor.block_number)}, extrinsic ${esc(result.anchor.extrinsic_index)})`
        : '';
    outcome = `<p id="proof-result" data-ok="${result.ok}">${result.ok ? 'Valid' : 'Not valid'}: ${esc(result.reason)}${result.ok ? where : ''}.</p>
<p>Root computed from the proof: <code id="proof-root">${esc(result.root)}</code>${result.anchor ? `<br>Memo on chain: <code id="proof-memo">${esc(result.anchor.memo)}</code>` : ''}</p>`;
  }
  return `<h2 id="check">Check a proof</h2>
<p>Paste the proof of one invoice allocation (from <code>GET /v1/billing/invoices/{id}/burn-proof</code>). Its leaf and root are recomputed here and compared with the memo of the burn that carries its month; <code>examples/verify-burn-proof.mjs</code> does the same from the chain alone.</p>
<form method="get" action="/burns#check"><textarea name="proof" rows="6" cols="80" required>${esc(pasted ?? '')}</textarea><br><button type="submit">Check</button></form>
${outcome}`;
}
