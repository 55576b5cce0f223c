/**
 * The audit as one self-contained HTML page: the report's data
 * (report-data.ts, compact) and the page's script (src/web/audit-report.ts,
 * bundled into dist/web/audit-report.js and handed in by the command) are
 * inlined; nothing — script, style, font or image — is fetched. The summary
 * is plain HTML; the tables (every escalating principal with every path and
 * step, the findings linked to the paths, the admins, the risky principals)
 * and the escalation graph of the principals shown are drawn by the script,
 * a page of rows at a time, each with a filter, and always say how many rows
 * there are and which ones are shown.
 */
import type { AuditReport } from './index.js';
import { reportData } from './report-data.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Script text that cannot end the <script> element it is in (`<\/` and `<\!` mean the same in a string). */
const inScript = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
/** JSON that cannot end its element either: every `<` (only ever inside a string) as \u003c. */
const jsonInScript = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fff}h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:10px 16px;min-width:130px}.card b{display:block;font-size:24px}
.card.bad b{color:#b00020}table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{border:1px solid #ddd;padding:6px;vertical-align:top;text-align:left;overflow-wrap:anywhere}th{background:#f4f4f6}
code{font-size:12px;word-break:break-all}ol{margin:0;padding-left:18px}.tag{background:#fff3cd;border-radius:3px;padding:0 4px;font-size:12px;margin-left:4px}
.row{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:8px 0}.filter{min-width:280px;padding:4px}.hint{color:#555}.pager button{padding:2px 10px}
.path{margin:6px 0 10px}.path p{margin:4px 0}details summary{cursor:pointer;color:#1a56c2}
.graph{overflow:auto;border:1px solid #ddd;padding:6px;max-height:70vh}svg path{fill:none;stroke:#666;stroke-width:1.2}svg path.self{stroke:#b00020}svg path.side{stroke:#3c6fd1;stroke-dasharray:4 3}
svg .node rect{fill:#e8f0fe;stroke:#3c6fd1}svg .node.admin rect{fill:#fde8e8;stroke:#b00020}svg text{font:11px system-ui,sans-serif;fill:#111}svg g.node{cursor:pointer}
.sev-ERROR{color:#b00020;font-weight:600}.sev-SECURITY_WARNING{color:#a15c00;font-weight:600}`;

/** `script`: the page's script (dist/web/audit-report.js). */
export function toHtml(r: AuditReport, script: string): string {
  const data = reportData(r);
  const escalating = data.escalating.length;
  const admins = data.admins.length;
  const pub = r.findings.filter((f) => f.code === 'PUBLIC_ACCESS').length;
  const cross = r.findings.filter((f) => f.code === 'CROSS_ACCOUNT_ACCESS' || f.code === 'EXPOSURE_NEEDS_REVIEW' || f.code === 'UNREADABLE_POLICY').length;
  const card = (n: number, label: string, bad = false): string => `<div class="card${bad && n > 0 ? ' bad' : ''}"><b>${n}</b>${esc(label)}</div>`;
  const section = (id: string, title: string, n: number, intro = ''): string =>
    `<h2 id="${id}">${esc(title)} (${n})</h2>${intro}<div id="${id}-table"><p class="hint">Loading ${n} rows…</p></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iamsim audit — ${esc(r.accounts.join(', '))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body>
<h1>IAM audit of ${esc(r.accounts.join(', '))}</h1>
<p>Generated ${esc(r.generatedAt)} by iamsim: ${r.stats.evaluations} requests decided by the evaluator in ${r.stats.milliseconds} ms.</p>
<div class="cards">${card(r.principals.length, 'principals')}${card(admins, 'admin')}${card(escalating, 'can escalate', true)}${card(pub, 'public access', true)}${card(cross, 'cross-account or to review')}${card(r.findings.length, 'findings')}</div>
<noscript><p><strong>This report lists its ${escalating} escalating principals and ${r.findings.length} findings with a script that is part of the page (it fetches nothing): allow scripts for this file, or run <code>iamsim audit --format json</code> or <code>--format text</code>.</strong></p></noscript>
<h2>Escalation graph</h2>
<p>Each principal that can escalate (left), with the hops of its shortest path; red boxes are admin, a red loop means the principal can grant itself anything, a dashed arc leads to another principal of the same column. Hover for full ARNs and techniques; select a principal to show its paths.</p>
<div id="graph"></div>
${section('escalating', 'Principals that can escalate', escalating, '<p>Every path of each principal, shortest first, with every step and the statement that allows it.</p>')}
${section('findings', 'Findings', r.findings.length, '<p>Every finding; an escalation links to its principal’s paths.</p>')}
${section('admins', 'Admin principals', admins)}
${section('risky', 'Risky permissions on every resource', data.risky.length)}
<script type="application/json" id="audit-data">${jsonInScript(data)}</script>
<script>${inScript(script)}</script>
</body></html>
`;
}
