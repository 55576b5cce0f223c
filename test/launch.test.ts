/**
 * The executable's launcher (src/cli/launch.ts, bundled as dist/cli/launch.cjs): --help and --version answered by
 * the small CommonJS file alone, a one-shot simulate from dist/cli/simulate.cjs with a code cache this Node.js
 * accepts, everything else from the ES module bundle — each answering exactly as the in-process `main` does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { Writable, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { codeCachePath, compileCommonJs } from '../src/cli/code-cache.js';
import { main } from '../src/cli/main.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/iamsim.js`;
const CLI = `${ROOT}dist/cli/`;

function bin(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, IAMSIM_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (to: string[]) =>
    new Writable({
      write(chunk, _enc, done) {
        to.push(String(chunk));
        done();
      },
    });
  const status = await main(args, { stdout: sink(out), stderr: sink(err), stdin: Readable.from([]) });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

test('--help, -h, help, --version and no arguments: the launcher answers as main does', async () => {
  for (const args of [['--help'], ['-h'], ['help'], ['--version'], ['version'], []]) {
    const got = bin(args);
    const want = await inProcess(args);
    assert.equal(got.status, want.status, args.join(' '));
    assert.equal(got.stdout, want.stdout, args.join(' '));
    assert.equal(got.stderr, '', args.join(' '));
  }
  assert.match(bin(['--help']).stdout, /^Usage: iamsim <command>/);
  assert.equal(bin([]).status, 2);
});

test("a command's help, an unknown command and a one-shot simulate answer as main does", async () => {
  const example = 'examples/simulate/studio-passrole-to-sagemaker.json';
  for (const args of [
    ['help', 'simulate'],
    ['simulate', '--help'],
    ['lint', '-h'],
    ['nope'],
    ['simulate', '--input', example, '--format', 'text'],
    ['simulate', '--input', 'no/such/file.json'],
    ['simulate-custom-policy', '--action-names', 's3:GetObjekt', '--policy-input-list', '{}'],
  ]) {
    const got = bin(args);
    const want = await inProcess(args);
    assert.equal(got.status, want.status, args.join(' '));
    assert.equal(got.stdout, want.stdout, args.join(' '));
    assert.equal(got.stderr, want.stderr, args.join(' '));
  }
});

test("the launcher carries no command's code; the simulate bundle's code cache is accepted by this Node.js", () => {
  const launch = readFileSync(`${CLI}launch.cjs`, 'utf8');
  assert.ok(statSync(`${CLI}launch.cjs`).size < 32_000, 'launch.cjs stays small');
  for (const name of ['simulateCommand', 'lintCommand', 'runSimulation', 'parsePolicy']) assert.ok(!launch.includes(name), `launch.cjs has ${name}`);
  const file = `${CLI}simulate.cjs`;
  const script = compileCommonJs(file, readFileSync(codeCachePath(file)));
  assert.equal(script.cachedDataRejected, false, 'the build made the cache from this very bundle, with this Node.js');
});
