/**
 * What iamsim writes must pass its own CI gate: `iamsim lint --fail-on SECURITY_WARNING` on the execution roles
 * `generate execution-role` writes for every example spec, and on the policy preflight's --fix-out writes for
 * seed 003's CreateTrainingJob policy. No finding may ask for what the action cannot do (ecr:GetAuthorizationToken
 * supports only "*"), and a generated grant is scoped the way the service's requests can match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../test/support/cli.js';
import { generateCommand } from './generate.js';
import { lintCommand } from './lint.js';
import { preflightCommand } from './preflight.js';

const examples = (path: string): string => fileURLToPath(new URL(`../../../examples/${path}`, import.meta.url));
const SPECS = ['hpo-vpc-kms.yaml', 'notebook-instance.yaml', 'processing-job.yaml', 'training-job.yaml'];

for (const spec of SPECS) {
  test(`generate execution-role --spec ${spec}: the three policies pass lint --fail-on SECURITY_WARNING`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamsim-own-lint-'));
    try {
      const gen = await runCommand(generateCommand, ['execution-role', '--spec', examples(`generate/${spec}`), '--out', dir]);
      assert.equal(gen.code, 0, gen.err);
      const files = readdirSync(dir).map((f) => join(dir, f));
      assert.equal(files.length, 3);
      const lint = await runCommand(lintCommand, ['--fail-on', 'SECURITY_WARNING', ...files]);
      assert.equal(lint.code, 0, lint.out);
      // The trust policy was recognised as one (no Principal/Resource grammar errors to hide).
      assert.match(lint.err, /\.trust\.json: linted as a role trust policy/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("preflight --fix-out on seed 003's policy as published: the corrected policy passes lint --fail-on SECURITY_WARNING", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-own-fix-'));
  try {
    const res = await runCommand(preflightCommand, [
      'sagemaker-execution-role',
      '--account',
      examples('accounts/sagemaker-execution-role/broken/seed-003-as-published.yaml'),
      '--fix-out',
      dir,
    ]);
    assert.equal(res.code, 1);
    const policies = readdirSync(join(dir, 'policies')).map((f) => join(dir, 'policies', f));
    assert.ok(policies.length > 0);
    const lint = await runCommand(lintCommand, ['--fail-on', 'SECURITY_WARNING', ...policies]);
    assert.equal(lint.code, 0, lint.out);
    // The policy does grant ecr:GetAuthorizationToken on "*": the linter saw it and asked nothing.
    assert.doesNotMatch(lint.out, /CREDENTIALS_EXPOSURE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
