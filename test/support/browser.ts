/**
 * Shared pieces of the console's browser tests: Debian's chromium driven by
 * playwright-core against a real `iamsim serve`, axe-core scans, screenshots
 * under the OS temp dir (the folder is printed), and a timing log. Without
 * chromium the tests are skipped with a message, except under CI, where they fail.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
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

const missing = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt-get install chromium)`
  : !existsSync(join(ROOT, 'dist/web/index.html'))
    ? 'dist/web is not built (npm run build)'
    : undefined;
if (missing !== undefined && process.env['CI'] !== undefined && process.env['CI'] !== '') throw new Error(`console browser tests cannot run in CI: ${missing}`);
/** The `skip` option of a browser test suite. */
export const skipBrowser = missing !== undefined ? `skipped: ${missing}` : false;

export interface Server {
  readonly url: string;
  readonly proc: ChildProcess;
}

/** Starts `iamsim serve --port 0 ARGS…` and resolves with the URL it prints. */
export function startServer(args: readonly string[]): Promise<Server> {
  return new Promise((ok, fail) => {
    const proc = spawn(process.execPath, [join(ROOT, 'bin/iamsim.js'), 'serve', '--port', '0', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, IAMSIM_DB: '' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`iamsim serve did not print its URL: ${out}${err}`)), 30_000);
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

export interface Browser {
  readonly ctx: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors, console errors and HTTP answers ≥ 400, in order. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** A fresh browser profile (nothing remembered) with one page. */
export async function openBrowser(viewport = { width: 1366, height: 900 }): Promise<Browser> {
  const userDir = mkdtempSync(join(tmpdir(), 'iamsim-chromium-'));
  const ctx = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, args: FLAGS, headless: true, viewport });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return {
    ctx,
    page,
    problems,
    async close() {
      await ctx.close();
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}

export const SHOTS = mkdtempSync(join(tmpdir(), 'iamsim-console-'));

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core on the page: no serious or critical violation. */
export async function axe(page: Page, name: string): Promise<void> {
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
export async function fitsWidth(page: Page, name: string): Promise<void> {
  const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  assert.ok(scroll <= width, `${name}: the page is ${scroll}px wide in a ${width}px window`);
}

/** Types into a CodeMirror editor the way a person pastes: focus, select all, insert. */
export async function paste(page: Page, editorLabel: string, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: editorLabel });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/**
 * One line of the timing log: `console timing: NAME MS ms`. Tests only log;
 * `npm run bench` (bench/console.js) reads these lines and holds them to the goals.
 */
export function timing(name: string, ms: number): void {
  console.log(`console timing: ${name} ${Math.round(ms)} ms`);
}
