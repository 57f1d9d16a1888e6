import type { Burn } from './burn.entity.js';
import { explorerUrl } from './burn-presenter.js';
import { publicTotals, weekly, type WeekBar } from './public-burns.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** RAO (1e-9) as a decimal with up to 4 places, for reading; the exact integers are in the title attribute and the API. */
export function units(rao: string | bigint | null): string {
  if (rao === null) return '—';
  const v = BigInt(rao);
  const whole = v / 1_000_000_000n;
  const frac = ((v % 1_000_000_000n) / 100_000n).toString().padStart(4, '0');
  return `${whole.toLocaleString('en-US')}.${frac}`;
}

function chart(weeks: WeekBar[]): string {
  if (!weeks.length) return '<p class="empty">No finalized burns yet.</p>';
  const w = 640,
    h = 180,
    pad = 30,
    slot = (w - pad * 2) / weeks.length,
    bar = Math.min(40, Math.max(4, slot / 2 - 4));
  const maxTao = Number(weeks.reduce((m, x) => (x.tao_spent_rao > m ? x.tao_spent_rao : m), 1n));
  const maxAlpha = Number(weeks.reduce((m, x) => (x.alpha_burned > m ? x.alpha_burned : m), 1n));
  const bars = weeks.map((x, i) => {
    const x0 = pad + i * slot;
    const th = ((h - pad * 2) * Number(x.tao_spent_rao)) / maxTao;
    const ah = ((h - pad * 2) * Number(x.alpha_burned)) / maxAlpha;
    return `<rect class="tao" x="${x0.toFixed(1)}" y="${(h - pad - th).toFixed(1)}" width="${bar.toFixed(1)}" height="${th.toFixed(1)}"><title>${esc(x.week)}: ${units(x.tao_spent_rao)} TAO</title></rect>
<rect class="alpha" x="${(x0 + bar + 2).toFixed(1)}" y="${(h - pad - ah).toFixed(1)}" width="${bar.toFixed(1)}" height="${ah.toFixed(1)}"><title>${esc(x.week)}: ${units(x.alpha_burned)} alpha</title></rect>
<text x="${x0.toFixed(1)}" y="${h - 10}">${esc(x.week)}</text>`;
  });
  return `<svg role="img" aria-label="TAO spent and alpha burned per week" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${bars.join('\n')}</svg>
<p class="legend"><span class="k tao"></span> TAO spent <span class="k alpha"></span> alpha burned (each scaled to its own maximum)</p>`;
}

/** The public proof-of-burn page: plain HTML, works without JavaScript. */
export function burnsPage(burns: Burn[], netuid: number, dryRunPlans: number, proofCheck = ''): string {
  const t = publicTotals(burns);
  const rows = [...burns].reverse().map((b) => {
    const link = explorerUrl(b);
    const where = b.blockNumber ? `${esc(b.blockNumber)}-${esc(b.extrinsicIndex)}` : '—';
    return `<tr data-burn="${esc(b.id)}"><td>${esc((b.finalizedAt ?? b.createdAt).toISOString().slice(0, 16).replace('T', ' '))}</td><td>${esc(b.status)}</td><td>${esc(b.currency.toUpperCase())}</td>
<td class="n" title="${esc(b.taoSpentRao ?? b.amountRao)} RAO">${units(b.taoSpentRao ?? b.amountRao)}</td><td class="n" title="${esc(b.alphaBurned)}">${units(b.alphaBurned)}</td>
<td>${link ? `<a href="${esc(link)}" rel="noopener">${where}</a>` : where}</td><td class="h">${esc(b.extrinsicHash ?? '')}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Leoma buy-and-burn — proof of burn</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:960px;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{padding:.35rem .5rem;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.h{font-family:monospace;font-size:12px;max-width:14rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.totals{display:flex;gap:2rem;margin:1rem 0}.totals div{font-size:1.4rem}.totals span{display:block;font-size:.8rem;color:#555}
rect.tao,.k.tao{fill:#d9480f;background:#d9480f}rect.alpha,.k.alpha{fill:#1864ab;background:#1864ab}.k{display:inline-block;width:.8rem;height:.8rem}
svg text{font-size:10px;fill:#555}
</style></head><body>
<h1>Buy-and-burn on subnet ${esc(netuid)}</h1>
<p>Part of every paid invoice buys the subnet's alpha on the Bittensor chain with <code>SubtensorModule.add_stake_burn</code> and burns it. Every row links to its extrinsic (block-index) on a block explorer.</p>
<section class="totals" id="totals">
<div id="total-burns">${t.burns}<span>finalized burns</span></div>
<div id="total-tao" title="${esc(t.tao_spent_rao)} RAO">${units(t.tao_spent_rao)}<span>TAO spent</span></div>
<div id="total-alpha" title="${esc(t.alpha_burned)}">${units(t.alpha_burned)}<span>alpha burned</span></div>
</section>
<h2>Per week</h2>
${chart(weekly(burns))}
<h2>Burns</h2>
<table id="burns"><thead><tr><th>time (UTC)</th><th>status</th><th title="the currency of the revenue that paid for it">paid from</th><th>TAO spent</th><th>alpha burned</th><th>block-extrinsic</th><th>extrinsic hash</th></tr></thead>
<tbody>${rows.join('\n') || '<tr><td colspan="7">No burns on chain yet.</td></tr>'}</tbody></table>
<p id="dry-runs">${dryRunPlans} dry-run plan(s) recorded (not on chain, not counted above).</p>
${proofCheck}
<p>Machine-readable: <a href="/v1/public/burns">/v1/public/burns</a></p>
</body></html>`;
}
