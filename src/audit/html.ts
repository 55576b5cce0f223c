/**
 * The audit as one self-contained HTML page: no scripts, fonts or images
 * fetched from anywhere. The escalation graph is inline SVG: escalating
 * principals on the left, each hop of their shortest path to the right,
 * admin targets last.
 */
import type { AuditReport, AuditedPrincipal } from './index.js';
import { adminsOf, pathEnd, stepText } from './render.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const short = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1) || arn;

interface Drawn {
  readonly nodes: Map<string, { col: number; row: number; admin: boolean }>;
  readonly links: { from: string; to: string; label: string }[];
}

const MAX_SOURCES = 120;

function layout(r: AuditReport): Drawn {
  const nodes = new Map<string, { col: number; row: number; admin: boolean }>();
  const links: { from: string; to: string; label: string }[] = [];
  const seen = new Set<string>();
  const cols: string[][] = [];
  const put = (arn: string, col: number, admin: boolean): void => {
    const had = nodes.get(arn);
    if (had !== undefined) {
      if (admin && !had.admin) nodes.set(arn, { ...had, admin });
      return;
    }
    const list = cols[col] ?? [];
    cols[col] = list;
    nodes.set(arn, { col, row: list.length, admin });
    list.push(arn);
  };
  for (const p of r.principals.filter((x) => x.canEscalate).slice(0, MAX_SOURCES)) {
    const path = p.paths[0];
    if (!path) continue;
    put(p.arn, 0, p.isAdmin && path.target === p.arn);
    let prev = p.arn;
    path.hops.forEach((to, i) => {
      if (to === prev) return;
      const final = i === path.hops.length - 1;
      put(to, Math.min(i + 1, 3), final);
      const key = `${prev}>${to}`;
      if (!seen.has(key)) {
        seen.add(key);
        links.push({ from: prev, to, label: path.techniques.join(' → ') });
      }
      prev = to;
    });
    if (path.target === p.arn) links.push({ from: p.arn, to: p.arn, label: path.techniques.join(' → ') });
  }
  return { nodes, links };
}

function svg(r: AuditReport): string {
  const { nodes, links } = layout(r);
  if (nodes.size === 0) return '<p>No principal can escalate.</p>';
  const W = 300;
  const H = 30;
  const maxRow = Math.max(...[...nodes.values()].map((n) => n.row));
  const maxCol = Math.max(...[...nodes.values()].map((n) => n.col));
  const width = (maxCol + 1) * W + 40;
  const height = (maxRow + 1) * H + 40;
  const pos = (arn: string): { x: number; y: number } => {
    const n = nodes.get(arn);
    return { x: 20 + (n?.col ?? 0) * W, y: 20 + (n?.row ?? 0) * H };
  };
  const parts: string[] = [];
  for (const l of links) {
    const a = pos(l.from);
    const b = pos(l.to);
    if (l.from === l.to) {
      parts.push(`<path class="self" d="M${a.x + 200},${a.y + 4} c40,-14 40,22 0,8" marker-end="url(#arrow)"><title>${esc(l.label)}</title></path>`);
      continue;
    }
    if (a.x === b.x) {
      // Same column: an arc on the right-hand side, so it does not cross the boxes.
      const bend = a.x + 230 + Math.min(60, Math.abs(b.y - a.y) / 6);
      parts.push(
        `<path class="side" d="M${a.x + 210},${a.y + 10} C${bend},${a.y + 10} ${bend},${b.y + 10} ${a.x + 214},${b.y + 10}" marker-end="url(#arrow)"><title>${esc(l.label)}</title></path>`,
      );
      continue;
    }
    parts.push(
      `<path d="M${a.x + 210},${a.y + 10} C${a.x + 250},${a.y + 10} ${b.x - 40},${b.y + 10} ${b.x},${b.y + 10}" marker-end="url(#arrow)"><title>${esc(l.label)}</title></path>`,
    );
  }
  for (const [arn, n] of nodes) {
    const { x, y } = pos(arn);
    parts.push(
      `<g class="${n.admin ? 'node admin' : 'node'}"><rect x="${x}" y="${y}" width="210" height="20" rx="4"/><text x="${x + 6}" y="${y + 14}">${esc(short(arn).slice(0, 32))}</text><title>${esc(arn)}</title></g>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Escalation graph">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>
${parts.join('\n')}</svg>`;
}

function principalRow(p: AuditedPrincipal): string {
  const path = p.paths[0];
  const steps = path ? `<ol>${path.steps.map((s) => `<li>${esc(stepText(s))}</li>`).join('')}</ol>` : '';
  const more =
    p.paths.length > 1
      ? `<details><summary>${p.paths.length - 1} more path(s)</summary>${p.paths
          .slice(1)
          .map((x) => `<p>${esc(x.technique)} → ${esc(x.target)}</p><ol>${x.steps.map((s) => `<li>${esc(stepText(s))}</li>`).join('')}</ol>`)
          .join('')}</details>`
      : '';
  return `<tr><td><code>${esc(p.arn)}</code></td><td>${esc(path?.technique ?? '')}${path?.assumesExistingResource ? ' <span class="tag">needs existing resource</span>' : ''}</td><td>${esc(path ? `${pathEnd(p.arn, path)}, ${path.length} step(s)` : '')}</td><td>${steps}${more}</td></tr>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fff}h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:10px 16px;min-width:130px}.card b{display:block;font-size:24px}
.card.bad b{color:#b00020}table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{border:1px solid #ddd;padding:6px;vertical-align:top;text-align:left;overflow-wrap:anywhere}th{background:#f4f4f6}
code{font-size:12px;word-break:break-all}ol{margin:0;padding-left:18px}.tag{background:#fff3cd;border-radius:3px;padding:0 4px;font-size:12px}
.graph{overflow:auto;border:1px solid #ddd;padding:6px}svg path{fill:none;stroke:#666;stroke-width:1.2}svg path.self{stroke:#b00020}svg path.side{stroke:#3c6fd1;stroke-dasharray:4 3}
svg .node rect{fill:#e8f0fe;stroke:#3c6fd1}svg .node.admin rect{fill:#fde8e8;stroke:#b00020}svg text{font:11px system-ui,sans-serif;fill:#111}
.sev-ERROR{color:#b00020;font-weight:600}.sev-SECURITY_WARNING{color:#a15c00;font-weight:600}`;

export function toHtml(r: AuditReport): string {
  const esc_ = r.principals.filter((p) => p.canEscalate);
  const admins = adminsOf(r);
  const pub = r.findings.filter((f) => f.code === 'PUBLIC_ACCESS');
  const cross = r.findings.filter((f) => f.code === 'CROSS_ACCOUNT_ACCESS' || f.code === 'EXPOSURE_NEEDS_REVIEW');
  const risky = r.principals.filter(
    (p) => !p.allowedEverything && p.risks.some((x) => x.category !== 'privilege-escalation' && x.category !== 'infrastructure-modification'),
  );
  const card = (n: number, label: string, bad = false): string => `<div class="card${bad && n > 0 ? ' bad' : ''}"><b>${n}</b>${esc(label)}</div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iamsim audit — ${esc(r.accounts.join(', '))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body>
<h1>IAM audit of ${esc(r.accounts.join(', '))}</h1>
<p>Generated ${esc(r.generatedAt)} by iamsim: ${r.stats.evaluations} requests decided by the evaluator in ${r.stats.milliseconds} ms.</p>
<div class="cards">${card(r.principals.length, 'principals')}${card(admins.length, 'admin')}${card(esc_.length, 'can escalate', true)}${card(pub.length, 'public policies', true)}${card(cross.length, 'cross-account')}</div>
<h2>Escalation graph</h2>
<p>Each principal that can escalate (left), with the hops of its shortest path; red boxes are admin, a red loop means the principal can grant itself anything, a dashed arc leads to another principal of the same column. Hover for full ARNs and techniques.</p>
<div class="graph">${svg(r)}</div>
<h2>Principals that can escalate (${esc_.length})</h2>
<table><thead><tr><th style="width:22%">principal</th><th style="width:13%">technique</th><th style="width:20%">becomes</th><th>steps (deciding statement)</th></tr></thead><tbody>
${esc_.map(principalRow).join('\n')}</tbody></table>
<h2>Admin principals (${admins.length})</h2>
<ul>${admins.map((a) => `<li><code>${esc(a.arn)}</code> — ${esc(a.how)}</li>`).join('')}</ul>
<h2>Public and cross-account access (${pub.length + cross.length})</h2>
<table><thead><tr><th style="width:14%">severity</th><th style="width:30%">resource</th><th>finding</th></tr></thead><tbody>
${[...pub, ...cross].map((f) => `<tr><td class="sev-${f.severity}">${esc(f.severity)}</td><td><code>${esc(f.subject)}</code></td><td>${esc(f.message)}</td></tr>`).join('\n')}</tbody></table>
<h2>Risky permissions on every resource (${risky.length})</h2>
<table><thead><tr><th style="width:30%">principal</th><th>risks</th></tr></thead><tbody>
${risky
  .map(
    (p) =>
      `<tr><td><code>${esc(p.arn)}</code></td><td>${p.risks
        .filter((x) => x.category !== 'infrastructure-modification')
        .map((x) => `${esc(x.category)} (${x.count}): ${esc(x.actions.slice(0, 5).join(', '))}${x.count > 5 ? ', …' : ''}`)
        .join('<br>')}</td></tr>`,
  )
  .join('\n')}</tbody></table>
</body></html>
`;
}
