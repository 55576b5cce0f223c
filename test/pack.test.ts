/**
 * `npm pack` makes a package that installs and runs outside the clone: the tarball is unpacked into an empty
 * folder as npm installs it (node_modules/iamsim, node_modules/.bin/iamsim) next to the production dependencies
 * only — linked from this checkout's node_modules, so the test runs offline — and `iamsim --help` and one
 * `iamsim simulate` run from that folder. A file the package needs but does not ship, or a runtime import of a
 * devDependency, fails here.
 *
 * With IAMSIM_PACK_INSTALL=npm (CI sets it, .ci/run) the tarball is installed for real: `npm install` resolves the
 * dependencies from the package's own ranges (`--prefer-offline`: from npm's cache when it has them, as after
 * `npm ci`, else from the registry). better-sqlite3's native binary is the one thing that needs more than the
 * registry (a GitHub download or a C++ build of SQLite, minutes on a busy machine): it is given to its installer
 * (prebuild-install) as a local prebuild packed from this checkout's compiled binary, the offline route
 * prebuild-install provides; a different version than the checkout's falls back to building from source. The
 * installed package then also opens a SQLite database (`iamsim account import` + `list`), which loads that binary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Manifest {
  readonly name: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly bin?: Readonly<Record<string, string>>;
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** The production dependency closure of the checkout, as top-level package names of its node_modules. */
function productionClosure(): string[] {
  const seen = new Set<string>();
  const queue = Object.keys(manifest(ROOT).dependencies ?? {});
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    const dir = join(ROOT, 'node_modules', name);
    if (!existsSync(dir)) continue; // an optional dependency not installed on this platform
    seen.add(name);
    const m = manifest(dir);
    queue.push(...Object.keys(m.dependencies ?? {}), ...Object.keys(m.optionalDependencies ?? {}));
  }
  return [...seen].sort();
}

function pack(into: string): string {
  const r = spawnSync(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', into], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const tgz = readdirSync(into).find((f) => /^iamsim-.*\.tgz$/.test(f));
  assert.ok(tgz, r.stdout);
  return join(into, tgz);
}

/** Unpacks the tarball as npm lays out an installed package, with the production dependencies beside it. */
function installOffline(tgz: string, dir: string): void {
  const target = join(dir, 'node_modules', 'iamsim');
  mkdirSync(target, { recursive: true });
  const untar = spawnSync('tar', ['xzf', tgz, '-C', target, '--strip-components=1']);
  assert.equal(untar.status, 0, String(untar.stderr));
  for (const name of productionClosure()) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
  }
  const bin = manifest(target).bin?.['iamsim'];
  assert.ok(bin, 'package.json names the iamsim binary');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join('..', 'iamsim', bin), join(dir, 'node_modules', '.bin', 'iamsim'));
}

/**
 * better-sqlite3's prebuild, as prebuild-install names and unpacks one (`{name}-v{version}-node-v{abi}-{platform}-{arch}`,
 * holding build/Release/better_sqlite3.node), made from the checkout's compiled binary; undefined when it has none.
 */
function localPrebuild(into: string): string | undefined {
  const pkg = join(ROOT, 'node_modules', 'better-sqlite3');
  if (!existsSync(join(pkg, 'build', 'Release', 'better_sqlite3.node'))) return undefined;
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const dir = join(into, 'prebuilds');
  mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const tar = spawnSync('tar', ['czf', join(dir, name), '-C', pkg, 'build/Release/better_sqlite3.node']);
  assert.equal(tar.status, 0, String(tar.stderr));
  return dir;
}

function installWithNpm(tgz: string, dir: string, work: string): void {
  const prebuilds = localPrebuild(work);
  const env = {
    ...process.env,
    ...(prebuilds !== undefined
      ? {
          npm_config_better_sqlite3_local_prebuilds: prebuilds,
          // No prebuild of the resolved version here: fail the download at once (no network wait) and build from source.
          npm_config_better_sqlite3_binary_host: 'http://127.0.0.1:9',
        }
      : {}),
  };
  const r = spawnSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', tgz], { cwd: dir, encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
}

test('npm pack: the tarball installed into an empty folder runs iamsim --help and a simulate', { timeout: 600_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'iamsim-pack-'));
  try {
    const tgz = pack(work);
    const listing = spawnSync('tar', ['tzf', tgz], { encoding: 'utf8' }).stdout.split('\n');
    // What the package needs at run time ships; the tests and the sources do not.
    for (const f of ['package/bin/iamsim.js', 'package/dist/cli/iamsim.js', 'package/dist/src/index.js', 'package/src/workflows/defs/notebook-job.json']) {
      assert.ok(listing.includes(f), `${f} is not in the package`);
    }
    assert.ok(!listing.some((f) => /\.test\.(js|d\.ts)$/.test(f)), 'test files are not shipped');
    const dir = join(work, 'project');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'uses-iamsim', version: '1.0.0', private: true }));
    const npmInstall = process.env['IAMSIM_PACK_INSTALL'] === 'npm';
    if (npmInstall) installWithNpm(tgz, dir, work);
    else installOffline(tgz, dir);
    const iamsim = join(dir, 'node_modules', '.bin', 'iamsim');
    const run = (args: readonly string[]) =>
      spawnSync(process.execPath, [iamsim, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, IAMSIM_DEBUG: '' } });
    const help = run(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /simulate/);
    writeFileSync(
      join(dir, 'policy.json'),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }] }),
    );
    writeFileSync(
      join(dir, 'request.json'),
      JSON.stringify({ PolicyInputList: ['file://policy.json'], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::data/x'] }),
    );
    const sim = run(['simulate', '--input', 'request.json', '--format', 'text']);
    assert.equal(sim.status, 0, sim.stderr);
    assert.match(sim.stdout, /^s3:GetObject on arn:aws:s3:::data\/x: ALLOWED$/m);
    assert.match(sim.stdout, /^s3:PutObject on arn:aws:s3:::data\/x: DENIED \(implicit deny\)$/m);
    // The catalog and workflow definitions are found inside the package, not in the clone.
    const list = run(['preflight', '--list']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^sagemaker-execution-role /m);
    // The native SQLite binding loads: an account imported into a database and listed from it.
    writeFileSync(join(dir, 'export.json'), readFileSync(join(ROOT, 'test/fixtures/accounts/authorization-details.json')));
    const imported = run(['account', 'import', 'export.json', '--db', 'accounts.db']);
    assert.equal(imported.status, 0, imported.stderr);
    const accounts = run(['account', 'list', '--db', 'accounts.db']);
    assert.equal(accounts.status, 0, accounts.stderr);
    assert.match(accounts.stdout, /111122223333/);
    if (npmInstall) assert.ok(existsSync(join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
