/**
 * The HTML report in a real browser (Debian's chromium driven by
 * playwright-core, test/support/browser.ts), opened from a file as a user
 * would: IAM-Vulnerable's audit pages its escalating principals 25 at a time
 * and says which rows it shows of how many; the pager and the filter reach
 * every one; the graph draws the principals of the page shown and says so; a
 * finding links to its principal's paths, every step shown; `#principal=ARN`
 * opens them; the page requests nothing but itself and throws nothing; axe
 * finds no serious accessibility problem.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadUniverse } from '../authz/universe.js';
import { toHtml } from './html.js';
import { runAudit, type AuditReport } from './index.js';
import { axe, openBrowser, ROOT, shot, skipBrowser as skip, type Browser } from '../../test/support/browser.js';

describe('the audit report in a browser', { skip, timeout: 240_000 }, () => {
  let browser: Browser;
  let report: AuditReport;
  let dir: string;
  let url: string;
  const requests: string[] = [];

  before(async () => {
    const u = loadUniverse({ accountFiles: [join(ROOT, 'test/fixtures/iam-vulnerable/authorization-details.json')] }).universe;
    assert.ok(u);
    report = await runAudit(u, { at: new Date('2026-01-01T00:00:00Z') });
    dir = mkdtempSync(join(tmpdir(), 'iamsim-report-'));
    const file = join(dir, 'audit.html');
    writeFileSync(file, toHtml(report, readFileSync(join(ROOT, 'dist/web/audit-report.js'), 'utf8')));
    url = pathToFileURL(file).href;
    browser = await openBrowser();
    browser.page.on('request', (r) => requests.push(r.url()));
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pages the escalating principals, says how many of how many, and the graph follows the page', async () => {
    const page = browser.page;
    const total = report.principals.filter((p) => p.canEscalate).length;
    assert.ok(total > 50, 'more than two pages');
    await page.goto(url);
    const status = page.locator('#escalating-table .pager .hint');
    await status.getByText(`Principals that can escalate 1–25 of ${total}.`).waitFor();
    assert.equal(await page.locator('#escalating-table tbody tr').count(), 25);
    const caption = page.locator('#graph .hint');
    assert.match(await caption.innerText(), new RegExp(`25 principal\\(s\\) on this page .*\\(${total} match the filter, ${total} can escalate\\)`));
    const firstPage = await page.locator('#graph svg g.node text').allInnerTexts();
    await page.locator('#escalating-table').getByRole('button', { name: 'Next ›' }).click();
    await status.getByText(`Principals that can escalate 26–50 of ${total}.`).waitFor();
    assert.notDeepEqual(await page.locator('#graph svg g.node text').allInnerTexts(), firstPage, 'the graph draws the page shown');
    // The last page is reachable: nothing is cut off.
    const pages = Math.ceil(total / 25);
    for (let i = 2; i < pages; i++) await page.locator('#escalating-table').getByRole('button', { name: 'Next ›' }).click();
    await status.getByText(`Principals that can escalate ${(pages - 1) * 25 + 1}–${total} of ${total}.`).waitFor();
    await shot(page, 'audit-report');
  });

  it('finds a principal by its name (any case), and opens every step of its paths', async () => {
    const page = browser.page;
    await page.goto(url);
    await page.getByLabel('Filter principals that can escalate').fill('PRIVESC15-PassExistingRoleToNewLambdaThenInvoke-user');
    const status = page.locator('#escalating-table .pager .hint');
    await status.getByText(/Principals that can escalate 1–1 of 1 matching/).waitFor();
    const who = report.principals.find((p) => p.canEscalate && p.arn.endsWith('user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user'));
    assert.ok(who);
    await page.locator('#escalating-table summary').first().click();
    const steps = page.locator('#escalating-table .path li');
    await steps.first().waitFor();
    assert.equal(
      await steps.count(),
      who.paths.reduce((n, p) => n + p.steps.length, 0),
    );
    assert.match(await steps.first().innerText(), /iam:PassRole/);
  });

  it('a finding links to its principal’s paths, and #principal= opens them', async () => {
    const page = browser.page;
    await page.goto(url);
    await page.getByLabel('Kind').selectOption('PRIVILEGE_ESCALATION');
    const link = page.locator('#findings-table').getByRole('link', { name: 'its paths' }).first();
    const subject = await page.locator('#findings-table tbody tr').first().locator('code').innerText();
    await link.click();
    await page
      .locator('#escalating-table .pager .hint')
      .getByText(/1–1 of 1 matching/)
      .waitFor();
    assert.equal(await page.locator('#escalating-table tbody tr code').first().innerText(), subject);
    assert.equal(await page.locator('#escalating-table details').first().getAttribute('open'), '');
    assert.ok(page.url().endsWith(`#principal=${encodeURIComponent(subject)}`));
    await page.getByRole('button', { name: 'Show every principal' }).click();
    await page
      .locator('#escalating-table .pager .hint')
      .getByText(/1–25 of \d+\./)
      .waitFor();
    await page.goto(`${url}#principal=${encodeURIComponent(subject)}`);
    await page.locator('#escalating-table .path li').first().waitFor();
    await axe(page, 'audit report');
  });

  it('requests nothing but the file itself and throws nothing', () => {
    assert.deepEqual([...new Set(requests.map((r) => r.replace(/#.*$/, '')))], [url]);
    assert.deepEqual(browser.problems, []);
  });
});
