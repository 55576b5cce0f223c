/**
 * The console in a real browser (Debian's chromium driven by playwright-core)
 * against a real `iamsim serve`: the flows a person would do on each page,
 * asserted on visible text, with a screenshot of every page and an axe-core
 * scan (no serious or critical violation). Screenshots go to a folder under
 * the OS temp dir, printed on every run. In CI a missing chromium fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SHOTS = mkdtempSync(join(tmpdir(), 'iamsim-console-'));

const missing = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt-get install chromium)`
  : !existsSync(join(ROOT, 'dist/web/index.html'))
    ? 'dist/web is not built (npm run build)'
    : undefined;
if (missing !== undefined && process.env['CI'] !== undefined && process.env['CI'] !== '') throw new Error(`console browser tests cannot run in CI: ${missing}`);
const skip = missing !== undefined ? `skipped: ${missing}` : false;

/** Starts `iamsim serve --port 0` and resolves with the URL it prints. */
function startServer(args: readonly string[]): Promise<{ url: string; proc: ChildProcess }> {
  return new Promise((ok, fail) => {
    const proc = spawn(process.execPath, [join(ROOT, 'bin/iamsim.js'), 'serve', '--port', '0', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, IAMSIM_DB: '' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`iamsim serve did not print its URL: ${out}${err}`)), 20_000);
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        ok({ url: m[1].endsWith('/') ? m[1] : `${m[1]}/`, proc });
      }
    });
    proc.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`iamsim serve exited with ${code}: ${err}`));
    });
  });
}

async function axe(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ content: readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8') });
  // Runs in the page (a string, so this Node-side file needs no DOM types).
  const result = (await page.evaluate("window.axe.run(document, { resultTypes: ['violations'] })")) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  };
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    ),
    [],
    `axe violations on ${name}`,
  );
}

/** A narrow window must not scroll sideways. */
async function fitsWidth(page: Page, name: string): Promise<void> {
  const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  assert.ok(scroll <= width, `${name}: the page is ${scroll}px wide in a ${width}px window`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Types into a CodeMirror editor the way a person pastes: focus, select all, insert. */
async function paste(page: Page, editorLabel: string, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: editorLabel });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

describe('console in a browser', { skip, timeout: 240_000 }, () => {
  let server: { url: string; proc: ChildProcess };
  let ctx: BrowserContext;
  let page: Page;
  let userDir: string;
  const pageErrors: string[] = [];

  before(async () => {
    console.log(`console screenshots: ${SHOTS}`);
    server = await startServer(['--account', 'examples/accounts/notebook-job/bundle.yaml']);
    userDir = mkdtempSync(join(tmpdir(), 'iamsim-chromium-'));
    ctx = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, args: FLAGS, headless: true, viewport: { width: 1366, height: 900 } });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await ctx?.close();
    server?.proc.kill('SIGTERM');
    if (userDir) rmSync(userDir, { recursive: true, force: true });
    console.log(`console screenshots: ${SHOTS}`);
  });

  it('Simulate: the seed 000/001 policies; EventBridge may assume the job role, and the trust statement is highlighted', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Simulate', level: 1 }).waitFor();
    await paste(page, 'Identity policy 1 (JSON)', readFileSync(join(ROOT, 'examples/policies/notebook-job-permissions.json'), 'utf8'));
    // lint's findings show as squiggles at their positions (the seed's PassRole and CreateTrainingJob together escalate).
    await page.locator('#editor-identity\\.0 .cm-lintRange').first().waitFor();
    await paste(page, 'Resource or trust policy (JSON)', readFileSync(join(ROOT, 'examples/policies/notebook-job-trust.json'), 'utf8'));
    await page.getByLabel('Caller (CallerArn)').fill('events.amazonaws.com');
    await page.getByLabel('Action 1', { exact: true }).fill('sts:AssumeRole');
    await page.getByLabel('Resource 1', { exact: true }).fill('arn:aws:iam::111122223333:role/NotebookJobExecutionRole');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const result = page.getByRole('region', { name: 'Result' });
    // A service principal has no identity policies: the request is refused, and the page says why, in place.
    const alert = result.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /PolicyInputList has no effect when CallerArn is "events\.amazonaws\.com"/);
    await page.getByRole('button', { name: 'Remove Identity policy 1' }).click();
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await result.getByText('ALLOWED', { exact: true }).first().waitFor();
    const text = await result.innerText();
    assert.match(text, /resource-based policy grants the request/);
    assert.match(text, /Allow · statement #2 in Resource or trust policy, line 11/);
    const highlighted = (await page.locator('#editor-resource\\.0 .cm-decided-allow').allInnerTexts()).join('\n');
    assert.match(highlighted, /events\.amazonaws\.com/);
    assert.doesNotMatch(highlighted, /sagemaker\.amazonaws\.com/);
    await shot(page, 'simulate');
    await axe(page, 'Simulate');
  });

  it('Simulate: a broken policy is reported in place, and the state survives a reload', async () => {
    await page.getByLabel('Caller (CallerArn)').fill('arn:aws:iam::111122223333:role/SageMakerStudioExecutionRole');
    await page.getByRole('button', { name: 'Add identity policy' }).click();
    await paste(page, 'Identity policy 1 (JSON)', '{"Version": "2012-10-17", "Statement": [ {"Effect": "Allow", "Action": "s3:GetObject" ');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const alert = page.getByRole('region', { name: 'Result' }).getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /MalformedPolicyDocument[\s\S]*Identity policy 1, line 1, column \d+/);
    await page.getByRole('button', { name: 'Remove Identity policy 1' }).click();
    await page.getByLabel('Caller (CallerArn)').fill('events.amazonaws.com');
    await page.reload();
    await page.getByRole('heading', { name: 'Simulate', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Caller (CallerArn)').inputValue(), 'events.amazonaws.com');
    assert.match(await page.locator('#editor-resource\\.0').innerText(), /events\.amazonaws\.com/);
  });

  it('Preflight: the notebook-job workflow on a broken account shows the failing step and its fix, and applying fixes passes', async () => {
    await page.getByRole('link', { name: 'Preflight' }).click();
    await page.getByRole('combobox', { name: 'Workflow' }).selectOption('notebook-job');
    await page.getByLabel('Account export files').setInputFiles(join(ROOT, 'examples/accounts/notebook-job/broken/passrole-without-events.yaml'));
    await page.getByRole('button', { name: 'Run preflight' }).click();
    const list = page.getByRole('region', { name: 'SageMaker Studio scheduled notebook job' });
    await list.getByText('FAILED', { exact: true }).waitFor();
    const failing = page.locator('li.step.fail');
    assert.equal(await failing.count(), 1);
    const text = await failing.innerText();
    assert.match(text, /Studio role passes the job role to EventBridge/);
    assert.match(text, /iam:PassedToService/);
    assert.match(
      await failing
        .locator('pre.diff .add')
        .allInnerTexts()
        .then((t) => t.join('\n')),
      /events\.amazonaws\.com/,
    );
    await shot(page, 'preflight');
    await axe(page, 'Preflight');
    await page.getByRole('button', { name: 'Apply fixes and run again' }).click();
    const afterList = page.getByRole('region', { name: /After applying 1 fix/ });
    await afterList.getByText('PASSED', { exact: true }).waitFor();
    await shot(page, 'preflight-applied');
  });

  it("Account: the server's accounts, a role's effective policies, and the assume/pass graph", async () => {
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('radio', { name: /Accounts loaded in the server/ }).check();
    await page.getByRole('button', { name: 'NotebookJobExecutionRole' }).click();
    const detail = page.getByRole('region', { name: 'Effective policies' });
    await detail.getByText('Trust policy').waitFor();
    const graph = page.getByRole('region', { name: 'Assume and pass graph' });
    await graph.locator('canvas').first().waitFor();
    const table = await graph.locator('table').innerText();
    assert.match(table, /events\.amazonaws\.com\s+sts:AssumeRole\s+NotebookJobExecutionRole\s+allowed/);
    assert.match(table, /SageMakerStudioExecutionRole\s+pass to events\.amazonaws\.com\s+NotebookJobExecutionRole/);
    const audit = page.getByRole('region', { name: 'Audit' });
    await audit.getByText(/findings? over 2 principals/).waitFor();
    await shot(page, 'account');
    await axe(page, 'Account');
  });

  it('Compare: the broad training-job policy grants more than the scoped one; the example request opens in Simulate', async () => {
    await page.getByRole('link', { name: 'Compare' }).click();
    await page.getByRole('heading', { name: 'Compare', level: 1 }).waitFor();
    await paste(page, 'Policy A (JSON)', readFileSync(join(ROOT, 'examples/policies/training-job-broad.json'), 'utf8'));
    await paste(page, 'Policy B (JSON)', readFileSync(join(ROOT, 'examples/policies/training-job-scoped.json'), 'utf8'));
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const verdict = page.getByRole('region', { name: 'Verdict' });
    await verdict.getByText(/Policy A grants more/).waitFor({ timeout: 60_000 });
    assert.match(await verdict.innerText(), /Does A allow anything B does not\?\s*YES/);
    await shot(page, 'compare');
    await axe(page, 'Compare');
    await verdict.getByRole('button', { name: 'Open this request in Simulate' }).click();
    await page.getByRole('heading', { name: 'Simulate', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await page.getByRole('region', { name: 'Result' }).getByText('ALLOWED', { exact: true }).first().waitFor();
  });

  it('Narrow window and dark mode: readable and without errors', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 420, height: 900 });
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await page.getByRole('region', { name: 'Result' }).getByText('ALLOWED', { exact: true }).first().waitFor();
    await fitsWidth(page, 'Simulate');
    await shot(page, 'simulate-narrow-dark');
    await axe(page, 'Simulate (dark, narrow)');
    await page.getByRole('link', { name: 'Preflight' }).click();
    // The Account page chose the server's accounts (the passing bundle); the choice is remembered.
    await page.getByRole('button', { name: 'Run preflight' }).click();
    await page.locator('.checklist').getByText('PASSED', { exact: true }).waitFor();
    await fitsWidth(page, 'Preflight');
    await shot(page, 'preflight-narrow-dark');
    await axe(page, 'Preflight (dark, narrow)');
    assert.deepEqual(pageErrors, []);
  });
});
