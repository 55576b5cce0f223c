/**
 * The generated protocol modules are committed: they must be exactly what
 * scripts/gen-protocol.mjs writes from the vendored botocore models today
 * (run `npm run gen:protocol` after changing either), and the vendored
 * models must be the ones vendor/botocore/README.md names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Generator {
  SERVICES: { dir: string; version: string; name: string }[];
  generate(svc: { dir: string; version: string }): string;
  outputPath(svc: { dir: string }): string;
}

test('src/protocol/generated/ is what scripts/gen-protocol.mjs generates (run npm run gen:protocol)', async () => {
  const gen = (await import(pathToFileURL(join(ROOT, 'scripts/gen-protocol.mjs')).href)) as Generator;
  assert.equal(gen.SERVICES.length, 4);
  for (const svc of gen.SERVICES) {
    const committed = readFileSync(gen.outputPath(svc), 'utf8');
    assert.ok(committed === gen.generate(svc), `${gen.outputPath(svc)} is out of date: run npm run gen:protocol`);
  }
});

test('the vendored models are the files vendor/botocore/README.md names (sha256)', () => {
  const readme = readFileSync(join(ROOT, 'vendor/botocore/README.md'), 'utf8');
  const rows = [...readme.matchAll(/`([a-z]+\/[\d-]+\/service-2\.json\.gz)` \| `([0-9a-f]{64})`/g)];
  assert.equal(rows.length, 4);
  for (const [, file, sha] of rows) {
    const actual = createHash('sha256')
      .update(readFileSync(join(ROOT, 'vendor/botocore', file!)))
      .digest('hex');
    assert.equal(actual, sha, file);
  }
});
