/**
 * The audit as the data the HTML report's page reads (src/web/audit-report.ts):
 * compact, so that a large organization's report stays small. Every text —
 * a step, a finding's message, a risk — is kept as a list of pieces cut at
 * ARNs, each piece stored once in a string table and referred to by its
 * index; every step is stored once and paths refer to steps by index. The
 * texts are the ones the text and JSON outputs print (render.ts stepText,
 * the findings' messages), so the page shows nothing the other formats do
 * not say, and it shows all of it: every escalating principal, every path
 * with every step, every finding.
 */
import type { AuditReport } from './index.js';
import { adminsOf, pathEnd, stepText } from './render.js';
import type { PathRow, ReportData, Text } from './report-format.js';

export type { PathRow, ReportData, Text };

/** ARNs inside a text (up to a space, a bracket, a comma or a closing parenthesis). */
const ARN = /(arn:[a-z0-9-]+:[^\s()[\],]*)/;

class Interner {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  readonly steps: Text[] = [];
  private readonly stepIds = new Map<string, number>();

  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, i);
    }
    return i;
  }

  text(s: string): Text {
    return s
      .split(ARN)
      .filter((p) => p !== '')
      .map((p) => this.id(p));
  }

  step(t: Text): number {
    const key = t.join(',');
    let i = this.stepIds.get(key);
    if (i === undefined) {
      i = this.steps.length;
      this.steps.push(t);
      this.stepIds.set(key, i);
    }
    return i;
  }
}

/** The first actions of a risk category, and how many more (the JSON lists them all; a NotAction policy can allow thousands). */
const RISK_ACTIONS = 5;
function riskText(x: { category: string; count: number; actions: readonly string[] }): string {
  const more = x.count > RISK_ACTIONS ? `, and ${x.count - RISK_ACTIONS} more (--format json lists every one)` : '';
  return `${x.category} (${x.count}): ${x.actions.slice(0, RISK_ACTIONS).join(', ')}${more}`;
}

export function reportData(r: AuditReport): ReportData {
  const t = new Interner();
  const escalating = r.principals
    .filter((p) => p.canEscalate)
    .map(
      (p) =>
        [
          t.id(p.arn),
          p.isAdmin ? 1 : 0,
          p.paths.map(
            (x): PathRow => [
              x.techniques.map((k) => t.id(k)),
              t.id(x.target),
              t.text(pathEnd(p.arn, x)),
              x.length,
              x.assumesExistingResource ? 1 : 0,
              x.hops.map((h) => t.id(h)),
              x.steps.map((s) => t.step(t.text(stepText(s)))),
            ],
          ),
        ] as const,
    );
  const admins = adminsOf(r).map((a) => [t.id(a.arn), a.how === 'allowed everything' ? 1 : 0] as const);
  const findings = r.findings.map((f) => [t.id(f.code), t.id(f.severity), t.id(f.subject), t.text(f.message)] as const);
  const risky = r.principals
    .filter((p) => !p.allowedEverything && p.risks.some((x) => x.category !== 'privilege-escalation' && x.category !== 'infrastructure-modification'))
    .map((p) => [t.id(p.arn), p.risks.filter((x) => x.category !== 'infrastructure-modification').map((x) => t.text(riskText(x)))] as const);
  return { version: 1, strings: t.strings, steps: t.steps, escalating, admins, findings, risky };
}
