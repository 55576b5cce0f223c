/**
 * The console on a real account, in a browser (Debian's chromium driven by
 * playwright-core): IAM-Vulnerable's export (test/fixtures/iam-vulnerable,
 * 122 principals, 18,115 assume/pass edges) loaded with `serve --account`,
 * and a server with no accounts at all. First-open states, the paged and
 * filterable tables, the graph around one principal, the ranked findings and
 * a path drawn step by step. Timings are logged (test/support/browser.ts),
 * never asserted here: `npm run bench` holds them to their goals.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import {
  axe,
  fitsWidth,
  openBrowser,
  ROOT,
  SHOTS,
  shot,
  skipBrowser as skip,
  startServer,
  timing,
  type Browser,
  type Server,
} from '../../../test/support/browser.js';

const VULNERABLE = 'test/fixtures/iam-vulnerable/authorization-details.json';

/** Rows of every table in the document: paging keeps this small whatever the account. */
async function rowsInDocument(page: Page): Promise<number> {
  return page.locator('tbody tr').count();
}

describe('console on IAM-Vulnerable, opened for the first time', { skip, timeout: 300_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;

  before(async () => {
    console.log(`console screenshots: ${SHOTS}`);
    server = await startServer(['--account', VULNERABLE]);
    browser = await openBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
  });

  it("Account opens on the server's accounts: principals listed and paged, no error, no failed request", async () => {
    const t0 = Date.now();
    await page.goto(`${server.url}#/account`);
    const principals = page.getByRole('region', { name: 'Principals' });
    await principals.getByText('Principals 1–20 of 122.').waitFor();
    timing('IAM-Vulnerable: Account page, principals listed', Date.now() - t0);
    assert.equal(await page.getByRole('radio', { name: /Accounts loaded in the server/ }).isChecked(), true);
    const audit = page.getByRole('region', { name: 'Audit' });
    await audit.getByText(/^\d+ findings over 122 principals/).waitFor({ timeout: 120_000 });
    timing('IAM-Vulnerable: Account page, audit findings shown', Date.now() - t0);
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(browser.problems, []);
    // Ranked: errors first; the first page of 25 findings only.
    const first = await audit.locator('tbody tr').first().innerText();
    assert.match(first, /^1\s+Error\s+Privilege escalation/);
    assert.ok((await rowsInDocument(page)) <= 20 + 25, 'only one page of each table is in the document');
  });

  it('the graph shows one principal: search, focus, the edge table paged, focus moved from the table', async () => {
    const t0 = Date.now();
    await page.getByLabel('Filter principals').fill('high-priv-service');
    await page.getByRole('button', { name: 'privesc-high-priv-service-role', exact: true }).click();
    const graph = page.getByRole('region', { name: 'Assume and pass graph' });
    // The server decides a bounded neighbourhood (authz/neighbourhood.ts): 24 neighbours, the others counted.
    const note = graph.getByText(
      /^privesc-high-priv-service-role: (\d+) assume or pass edges with 24 other principals or services; ([\d,]+) more neighbours not loaded/,
    );
    await note.waitFor();
    timing('IAM-Vulnerable: a role focused in the graph', Date.now() - t0);
    const [, edges, more] = /: (\d+) assume or pass edges.*; ([\d,]+) more/.exec(await note.innerText()) ?? [];
    assert.ok(Number(edges) > 100, `a busy role: ${edges} edges`);
    assert.ok(Number(more?.replace(',', '')) > 24, `${more} more neighbours`);
    await graph.getByText(`Edges 1–50 of ${edges}.`).waitFor();
    assert.match(await graph.getByRole('img').getAttribute('aria-label').then(String), /around privesc-high-priv-service-role: 25 nodes drawn/);
    // More neighbours on request (up to 100 more): the server's count of those left out goes down by as many.
    const total = 24 + Number(more?.replace(',', ''));
    const loaded = Math.min(total, 124);
    const hidden = loaded - 24 - Math.min(loaded - 24, 24);
    await graph.getByRole('button', { name: 'Load 100 more neighbours' }).click();
    const after = graph.getByText(
      new RegExp(`^privesc-high-priv-service-role: \\d+ assume or pass edges with ${loaded} other principals or services; ${hidden} not drawn`),
    );
    await after.waitFor();
    const rest = /; ([\d,]+) more neighbours? not loaded/.exec(await after.innerText())?.[1] ?? '0';
    assert.equal(Number(rest.replace(',', '')), total - loaded);
    await graph.getByLabel('Filter edges').fill('fn1-privesc3-partial-user sagemaker');
    await graph.getByText(/^Edges 1–1 of 1 matching/).waitFor();
    await graph.getByRole('button', { name: 'fn1-privesc3-partial-user' }).click();
    await graph.getByText(/^fn1-privesc3-partial-user: \d+ assume or pass edges/).waitFor();
    await graph.locator('canvas').first().waitFor();
    await shot(page, 'account-vulnerable-focus');
    assert.ok((await rowsInDocument(page)) <= 20 + 50 + 25);
  });

  it('a finding’s escalation path is listed step by step and drawn in the graph', async () => {
    const audit = page.getByRole('region', { name: 'Audit' });
    await audit.getByLabel('Filter findings').fill('AssumeRole-intermediate-role');
    await audit.getByRole('button', { name: /^Show path \(1 step\) of privesc-AssumeRole-intermediate-role$/ }).click();
    const steps = await audit.locator('.path-view ol li').allInnerTexts();
    assert.deepEqual(steps, ['privesc-AssumeRole-intermediate-role calls sts:AssumeRole on privesc-AssumeRole-ending-role']);
    const graph = page.getByRole('region', { name: 'Assume and pass graph' });
    assert.match(String(await graph.getByRole('img').getAttribute('aria-label')), /^Escalation path of privesc-AssumeRole-intermediate-role/);
    await shot(page, 'account-vulnerable-path');
    await axe(page, 'Account (IAM-Vulnerable)');
  });

  it('a narrow dark window: the Account page does not scroll sideways', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 420, height: 900 });
    await page.getByRole('region', { name: 'Audit' }).getByLabel('Filter findings').fill('');
    // The graph's canvas follows the window on its resize event: give it that moment, then measure.
    await page.waitForFunction('document.documentElement.scrollWidth <= window.innerWidth', null, { timeout: 5_000 }).catch(() => undefined);
    await fitsWidth(page, 'Account (IAM-Vulnerable)');
    await shot(page, 'account-vulnerable-narrow-dark');
    await axe(page, 'Account (IAM-Vulnerable, dark, narrow)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("Preflight opens on the server's accounts too, and speaks the page's words", async () => {
    await page.getByRole('link', { name: 'Preflight' }).click();
    await page.getByRole('button', { name: 'Run preflight' }).waitFor();
    assert.equal(await page.getByRole('radio', { name: /Accounts loaded in the server/ }).isChecked(), true);
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(browser.problems, []);
    // The notebook-job workflow's roles are not in this account: said without command-line flags.
    await page.getByRole('button', { name: 'Run preflight' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /is not in the loaded accounts/);
    assert.doesNotMatch(text, /--set|--account|source\.files/);
  });
});

describe('console on the 3,000-principal export (bench/audit-export.js): an administrator role focused', { skip, timeout: 300_000 }, () => {
  let server: Server;
  let browser: Browser;
  let dir: string;

  before(async () => {
    const { syntheticExport } = (await import(pathToFileURL(join(ROOT, 'bench/audit-export.js')).href)) as {
      syntheticExport: (n: number, seed: number) => unknown;
    };
    dir = mkdtempSync(join(tmpdir(), 'iamsim-console-3000-'));
    writeFileSync(join(dir, 'export-3000.json'), JSON.stringify(syntheticExport(3000, 1)));
    server = await startServer(['--account', join(dir, 'export-3000.json')]);
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the principals, then draws the role with 24 neighbours and counts the other 2,000 exactly', async () => {
    const { page } = browser;
    const t0 = Date.now();
    await page.goto(`${server.url}#/account`);
    await page.getByText('Principals 1–20 of 3000.').waitFor({ timeout: 120_000 });
    timing('3,000 principals: Account page, principals listed', Date.now() - t0);
    const t1 = Date.now();
    await page.getByLabel('Filter principals').fill('privesc-high-priv-service-role');
    await page.getByRole('button', { name: 'privesc-high-priv-service-role', exact: true }).click();
    const graph = page.getByRole('region', { name: 'Assume and pass graph' });
    const note = graph.getByText(
      /^privesc-high-priv-service-role: \d+ assume or pass edges with 24 other principals or services; ([\d,]+) more neighbours not loaded/,
    );
    await note.waitFor({ timeout: 120_000 });
    timing('3,000 principals: an administrator role focused in the graph', Date.now() - t1);
    const [, more] = /; ([\d,]+) more/.exec(await note.innerText()) ?? [];
    assert.ok(Number(more?.replace(',', '')) > 1_000, `${more} more neighbours`);
    assert.deepEqual(browser.problems, []);
  });
});

describe('console on a server without accounts, opened for the first time', { skip, timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;

  before(async () => {
    server = await startServer([]);
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
  });

  it('Account and Preflight say what to do instead of failing; an example account then works', async () => {
    const { page } = browser;
    await page.goto(`${server.url}#/account`);
    await page.getByText('No accounts to work on yet.').waitFor();
    assert.equal(await page.getByRole('radio', { name: /Accounts loaded in the server/ }).isDisabled(), true);
    assert.equal(await page.getByRole('alert').count(), 0);
    await shot(page, 'account-empty');
    await axe(page, 'Account (no accounts)');
    await page.getByRole('link', { name: 'Preflight' }).click();
    await page.getByRole('button', { name: 'Run preflight' }).click();
    await page.getByText('No accounts to work on yet.').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(browser.problems, [], 'no request failed');
    await page.getByRole('combobox', { name: 'Workflow' }).selectOption('notebook-job');
    await page.getByLabel('Use an example account').selectOption('notebook-job/bundle.yaml');
    await page.getByRole('button', { name: 'Run preflight' }).click();
    await page.locator('.checklist').getByText('PASSED', { exact: true }).waitFor();
  });
});
