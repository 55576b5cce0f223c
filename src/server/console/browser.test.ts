/**
 * The console in a real browser (Debian's chromium driven by playwright-core)
 * against a real `iamsim serve`: the flows a person would do on each page,
 * asserted on visible text, with a screenshot of every page and an axe-core
 * scan (no serious or critical violation). Screenshots go to a folder under
 * the OS temp dir, printed on every run. In CI a missing chromium fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  axe,
  fitsWidth,
  openBrowser,
  paste,
  ROOT,
  SHOTS,
  shot,
  skipBrowser as skip,
  startServer,
  type Browser,
  type Server,
} from '../../../test/support/browser.js';

describe('console in a browser', { skip, timeout: 240_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;

  before(async () => {
    console.log(`console screenshots: ${SHOTS}`);
    server = await startServer(['--account', 'examples/accounts/notebook-job/bundle.yaml']);
    browser = await openBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
    console.log(`console screenshots: ${SHOTS}`);
  });

  it('Simulate: the seed 000/001 policies; EventBridge may assume the job role, and the trust statement is highlighted', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Simulate', level: 1 }).waitFor();
    await paste(page, 'Identity policy 1 (JSON)', readFileSync(join(ROOT, 'examples/policies/notebook-job-permissions.json'), 'utf8'));
    // lint's findings show as squiggles at their positions (the seed's PassRole and CreateTrainingJob together escalate).
    await page.locator('#editor-identity\\.0 .cm-lintRange').first().waitFor();
    await paste(page, 'Resource or trust policy (JSON)', readFileSync(join(ROOT, 'examples/policies/notebook-job-trust.json'), 'utf8'));
    await page.getByLabel('Caller', { exact: true }).fill('events.amazonaws.com');
    await page.getByLabel('Action 1', { exact: true }).fill('sts:AssumeRole');
    await page.getByLabel('Resource 1', { exact: true }).fill('arn:aws:iam::111122223333:role/NotebookJobExecutionRole');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const result = page.getByRole('region', { name: 'Result' });
    // A service principal has no identity policies: the request is refused, and the page says why, in place.
    const alert = result.getByRole('alert');
    await alert.waitFor();
    // In the page's words: no request field names (PolicyInputList, CallerArn) in what a person reads.
    const said = await alert.innerText();
    assert.match(said, /The identity policies cannot apply when the caller is events\.amazonaws\.com/);
    assert.doesNotMatch(said, /PolicyInputList|CallerArn/);
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
    await page.getByLabel('Caller', { exact: true }).fill('arn:aws:iam::111122223333:role/SageMakerStudioExecutionRole');
    await page.getByRole('button', { name: 'Add identity policy' }).click();
    await paste(page, 'Identity policy 1 (JSON)', '{"Version": "2012-10-17", "Statement": [ {"Effect": "Allow", "Action": "s3:GetObject" ');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const alert = page.getByRole('region', { name: 'Result' }).getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /A policy cannot be read[\s\S]*Identity policy 1, line 1, column \d+/);
    await page.getByRole('button', { name: 'Remove Identity policy 1' }).click();
    await page.getByLabel('Caller', { exact: true }).fill('events.amazonaws.com');
    await page.reload();
    await page.getByRole('heading', { name: 'Simulate', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Caller', { exact: true }).inputValue(), 'events.amazonaws.com');
    assert.match(await page.locator('#editor-resource\\.0').innerText(), /events\.amazonaws\.com/);
  });

  it('Simulate says why: each condition of the deciding Deny with the request value, and each resource of several', async () => {
    await page.getByLabel('Load an example').selectOption('mlspace-create-untagged-endpoint-config');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const result = page.getByRole('region', { name: 'Result' });
    await result.getByText('DENIED (explicit deny)', { exact: true }).first().waitFor();
    const conds = await result.locator('.stmts .conds li').allInnerTexts();
    assert.equal(conds.length, 3, conds.join('\n'));
    assert.ok(
      conds.every((c) => c.startsWith('✓')),
      conds.join('\n'),
    );
    assert.match(conds.join('\n'), /Null aws:RequestTag\/user: key is absent/);
    assert.match(conds.join('\n'), /StringNotEqualsIgnoreCase aws:RequestTag\/system: .*negated operator matches an absent key/);
    assert.doesNotMatch(await result.innerText(), /PolicyInputList/);
    await shot(page, 'simulate-why');
    // Several resources: each with its own decision and deciding statements.
    await page.getByRole('button', { name: 'Clear' }).click();
    await paste(
      page,
      'Identity policy 1 (JSON)',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'Listed', Effect: 'Allow', Action: 's3:ListBucket', Resource: ['arn:aws:s3:::a', 'arn:aws:s3:::b'] }],
      }),
    );
    await page.getByLabel('Action 1', { exact: true }).fill('s3:ListBucket');
    await page.getByLabel('Resource 1', { exact: true }).fill('arn:aws:s3:::a');
    for (const [i, r] of [
      [2, 'arn:aws:s3:::b'],
      [3, 'arn:aws:s3:::c'],
    ] as const) {
      await page.getByRole('button', { name: 'Add resource' }).click();
      await page.getByLabel(`Resource ${i}`, { exact: true }).fill(r);
    }
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await result.getByText("2 of 3 resources allowed; each resource's decision and deciding statements follow.").waitFor();
    const per = await result.locator('.per-resource').allInnerTexts();
    assert.match(per[0] ?? '', /ALLOWED\s+arn:aws:s3:::a[\s\S]*statement "Listed"/);
    assert.match(per[1] ?? '', /ALLOWED\s+arn:aws:s3:::b[\s\S]*statement "Listed"/);
    assert.match(per[2] ?? '', /DENIED \(implicit deny\)\s+arn:aws:s3:::c/);
    assert.doesNotMatch(per[2] ?? '', /Deciding statements/);
    await page.getByRole('button', { name: 'Clear' }).click();
  });

  it("Simulate as a principal: the role's policies fill the layers, its condition keys are listed with types, a service's actions are chosen", async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('Simulate as a principal of the accounts').click();
    await page.getByLabel('Principal', { exact: true }).fill('SageMakerStudioExecutionRole');
    await page.getByRole('button', { name: 'Use its policies' }).click();
    await page.getByText(/^Loaded role SageMakerStudioExecutionRole: 1 identity policy, the SCPs of 3 organization levels/).waitFor();
    assert.equal(await page.getByLabel('Caller', { exact: true }).inputValue(), 'arn:aws:iam::111122223333:role/service-role/SageMakerStudioExecutionRole');
    assert.match(await page.locator('[data-layer="identity"]').innerText(), /Identity policy 1: NotebookJobPermissions \(managed\)/);
    assert.match(await page.locator('#editor-identity\\.0').innerText(), /iam:PassedToService/);
    assert.equal(await page.locator('[data-layer="scp"] .editor-host').count(), 4);
    // Listed before the run, with the type a request should give each (GetContextKeysForPrincipalPolicy).
    const keys = page.locator('.ref-keys');
    await keys.getByText(/The policies use \d+ condition keys/).waitFor();
    assert.equal(await keys.getByLabel('Type of iam:PassedToService').inputValue(), 'string');
    assert.equal(await keys.getByLabel('Type of aws:RequestedRegion').inputValue(), 'string');
    // Several actions from one service.
    await page.getByText("Choose from a service's actions").click();
    await page.getByLabel('Service', { exact: true }).fill('iam');
    await page.getByRole('button', { name: 'List its actions' }).click();
    await page.getByLabel('Filter the actions of iam').fill('PassRole');
    await page.getByLabel('Select all shown').check();
    await page.getByRole('button', { name: 'Add the selected actions' }).click();
    assert.equal(await page.getByLabel('Action 1', { exact: true }).inputValue(), 'iam:PassRole');
    await page.getByLabel('Resource 1', { exact: true }).fill('arn:aws:iam::111122223333:role/service-role/NotebookJobExecutionRole');
    await keys.getByLabel('Value of iam:PassedToService').fill('events.amazonaws.com');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const result = page.getByRole('region', { name: 'Result' });
    await result.getByText('ALLOWED', { exact: true }).first().waitFor();
    assert.match(await result.innerText(), /StringLike iam:PassedToService: .*events\.amazonaws\.com/);
    // A policy switched off is left out: without the identity policy nothing allows PassRole.
    await page.getByLabel('Include Identity policy 1').uncheck();
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await result.getByText('DENIED (implicit deny)', { exact: true }).first().waitFor();
    await shot(page, 'simulate-principal');
    await axe(page, 'Simulate (as a principal)');
    await page.getByRole('button', { name: 'Clear' }).click();
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
    // The workflow cites the documentation it is written from, never the project's own source numbers.
    const form = page.getByRole('form', { name: 'Preflight' });
    assert.match(
      (await form
        .getByRole('link', { name: /SageMaker Developer Guide/ })
        .first()
        .getAttribute('href')) ?? '',
      /^https:\/\/docs\.aws\.amazon\.com\/sagemaker\//,
    );
    assert.doesNotMatch(await form.innerText(), /\bseeds?\b/i);
    // The patch for review: the AWS CLI command and the scope proof, which finds the fix wider than the step needs.
    const review = page.getByRole('region', { name: 'Review the fixes' });
    const reviewText = await review.innerText();
    assert.match(reviewText, /1 policy changes/);
    assert.match(reviewText, /Wider than the failing steps/);
    assert.match(reviewText, /This change also allows a request no failing step makes:\s*iam:PassRole on arn:aws:iam::/);
    assert.match(
      await review.locator('pre.command').innerText(),
      /^aws iam create-policy-version --policy-arn \S+NotebookJobPermissions --policy-document file:\/\//,
    );
    await shot(page, 'preflight');
    await axe(page, 'Preflight');
    await page.getByRole('button', { name: 'Apply fixes and run again' }).click();
    const afterList = page.getByRole('region', { name: /After applying 1 fix/ });
    await afterList.getByText('PASSED', { exact: true }).waitFor();
    await shot(page, 'preflight-applied');
  });

  it("Account: the server's accounts, a role's effective policies, and its neighbourhood in the graph", async () => {
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('radio', { name: /Accounts loaded in the server/ }).check();
    await page.getByRole('region', { name: 'Principals' }).getByRole('button', { name: 'NotebookJobExecutionRole' }).click();
    const detail = page.getByRole('region', { name: 'Effective policies' });
    await detail.getByText('Trust policy').waitFor();
    const graph = page.getByRole('region', { name: 'Assume and pass graph' });
    await graph.getByText(/NotebookJobExecutionRole: \d+ assume or pass edges/).waitFor();
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
    await verdict
      .getByText(/Every class of such requests, by the statement that allows it/)
      .first()
      .waitFor();
    assert.match(await verdict.innerText(), /of policy A: \d+ class/);
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
    assert.deepEqual(
      browser.problems.filter((p) => p.startsWith('page error')),
      [],
    );
  });

  it('Explain an error: the example KMS AccessDenied on the broken key policy; iamsim agrees, shows the statement and a verified fix', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByRole('link', { name: 'Explain an error' }).click();
    await page.getByRole('heading', { name: 'Explain an error', level: 1 }).waitFor();
    await page.getByLabel('Account export files').setInputFiles(join(ROOT, 'examples/accounts/notebook-job/broken/kms-key-policy-excludes-role.yaml'));
    await page.getByRole('button', { name: 'Use the example' }).click();
    assert.match(await page.getByLabel('AccessDenied message(s), one per line').inputValue(), /not authorized to perform: kms:Decrypt/);
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const card = page.getByRole('article', { name: 'Message on line 1' });
    await card.getByText('iamsim agrees with AWS').waitFor({ timeout: 60_000 });
    const text = await card.innerText();
    assert.match(text, /Line 1: kms:Decrypt/);
    assert.match(text, /NotebookJobExecutionRole.* → kms:Decrypt → arn:aws:kms:us-east-1:111122223333:key\/1234abcd/);
    assert.match(text, /AWS: implicit deny — resource/);
    assert.match(text, /iamsim:\s*DENIED \(implicit deny\)/);
    assert.match(text, /Verified: with the change the model allows the request\./);
    assert.match(await card.locator('pre.code.mono').first().innerText(), /^aws kms put-key-policy --key-id arn:aws:kms:us-east-1:111122223333:key\/1234abcd/);
    await shot(page, 'explain');
    await axe(page, 'Explain an error');
    await card.getByRole('button', { name: 'Apply the fix and re-run' }).click();
    const after = page.getByRole('article', { name: 'Message on line 1' }).getByText(/^After the fix:/);
    await after.waitFor({ timeout: 60_000 });
    assert.match(await after.innerText(), /After the fix: ALLOWED/);
    await shot(page, 'explain-applied');
    // A near miss: the Allow that almost granted ecr:BatchGetImage is shown in its policy, its lines marked.
    await page.getByLabel('Account export files').setInputFiles(join(ROOT, 'test/fixtures/explain/iam.yaml'));
    await page
      .getByLabel('AccessDenied message(s), one per line')
      .fill(
        'User: arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:111122223333:repository/notebook-runtime because no identity-based policy allows the ecr:BatchGetImage action',
      );
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const near = page.getByRole('article', { name: 'Message on line 1' });
    await near.getByText(/^Near miss: Allow statement/).waitFor({ timeout: 60_000 });
    assert.match((await near.locator('pre.explain-policy mark.hl.near-miss').allInnerTexts()).join(''), /"Sid": "EcrPull"/);
    await shot(page, 'explain-near-miss');
    assert.deepEqual(
      browser.problems.filter((p) => p.startsWith('page error')),
      [],
    );
  });
});
