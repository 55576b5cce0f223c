/**
 * Shared set-up of the tests that run the real AWS CLI against a started
 * server (aws-cli.test.ts, aws-cli-entities.test.ts): an environment with
 * temporary config and credentials files, so nothing on the machine leaks in,
 * and the rule for a missing CLI (fails in CI, skipped elsewhere).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's awscli v2. */
export const AWS_V2 = '/usr/bin/aws';

/** The CLI's environment: a fresh HOME with a `[default]` profile in us-east-1 (JSON output, example keys), plus `extra`. */
export function awsCliEnv(prefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
  writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n');
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(process.env['PYENV_ROOT'] !== undefined ? { PYENV_ROOT: process.env['PYENV_ROOT'] } : {}),
    ...extra,
  };
}

/** True when the CLI exists; in CI (CI=true) a missing CLI fails the test, elsewhere the test is skipped naming it. */
export function cliAvailable(t: { skip: (m: string) => void }, cli: string | undefined, what: string): cli is string {
  if (cli !== undefined && existsSync(cli)) return true;
  if (process.env['CI'] === 'true') assert.fail(`${what} is required in CI`);
  t.skip(`${what} not installed`);
  return false;
}
