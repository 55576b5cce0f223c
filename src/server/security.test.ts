/**
 * Attacks on `--auth sigv4`, each through a real client: a proxy that rewrites
 * a signed request's body, signatures scoped to another service, region or
 * time, UNSIGNED-PAYLOAD, and a key bound to one account asking about
 * another. Each must be refused with AWS's error and change nothing.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttachRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { AccessAnalyzerClient, ValidatePolicyCommand } from '@aws-sdk/client-accessanalyzer';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ChecksumConstructor } from '@smithy/types';
import { parseCredentialsFile } from './auth.js';
import { EXEC_ROLE, startTestServer, type Started } from './test-support.test.js';

const KEYS = parseCredentialsFile(
  '[ci]\naws_access_key_id = AKIDIAMSIMTEST\naws_secret_access_key = s3cr3t\naws_account_id = 111122223333\n' +
    '[other]\naws_access_key_id = AKIDOTHERACCOUNT\naws_secret_access_key = other\naws_account_id = 444455556666\n',
  'creds',
);
const ROLE = 'NotebookJobExecutionRole';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
let s: Started;
before(async () => {
  s = await startTestServer({ credentials: KEYS });
});
after(() => s.stop());

const iam = (endpoint = s.url, region = 'us-east-1', accessKeyId = 'AKIDIAMSIMTEST', secretAccessKey = 's3cr3t'): IAMClient =>
  new IAMClient({ endpoint, region, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });

async function attached(): Promise<string[]> {
  const c = iam();
  const r = await c.send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }));
  c.destroy();
  return (r.AttachedPolicies ?? []).map((p) => p.PolicyArn!);
}

/** A proxy on the path that rewrites every request body it forwards (headers, signature included, kept). */
async function rewritingProxy(target: string, rewrite: (body: string) => string): Promise<{ url: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const original = Buffer.concat(chunks).toString('utf8');
      seen.push(original);
      const body = rewrite(original);
      const u = new URL(target);
      const out = httpRequest(
        { host: u.hostname, port: u.port, method: req.method, path: req.url, headers: { ...req.headers, 'content-length': String(Buffer.byteLength(body)) } },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

async function rejects(p: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('a proxy that rewrites a signed ListRoles into AttachRolePolicy AdministratorAccess is refused, and nothing changes', async () => {
  const before = await attached();
  assert.ok(!before.includes(ADMIN));
  const proxy = await rewritingProxy(s.url, (body) =>
    body.includes('Action=ListRoles') ? `Action=AttachRolePolicy&Version=2010-05-08&RoleName=${ROLE}&PolicyArn=${encodeURIComponent(ADMIN)}` : body,
  );
  const c = iam(proxy.url);
  try {
    await rejects(c.send(new ListRolesCommand({})), 'SignatureDoesNotMatch', 403);
    assert.ok(
      proxy.seen.some((b) => b.includes('Action=ListRoles')),
      'the request went through the proxy',
    );
  } finally {
    c.destroy();
    proxy.server.close();
  }
  assert.deepEqual(await attached(), before);
});

type Signed = { headers: Record<string, string>; body: string };

/** Signs an IAM Query request with @smithy/signature-v4 for any scope and time, as a client could. */
async function sign(o: { body: string; service?: string; region?: string; date?: Date; payloadHash?: string; secret?: string; key?: string }): Promise<Signed> {
  const host = new URL(s.url).host;
  const headers: Record<string, string> = { host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  if (o.payloadHash !== undefined) headers['x-amz-content-sha256'] = o.payloadHash;
  const signer = new SignatureV4({
    credentials: { accessKeyId: o.key ?? 'AKIDIAMSIMTEST', secretAccessKey: o.secret ?? 's3cr3t' },
    region: o.region ?? 'us-east-1',
    service: o.service ?? 'iam',
    sha256: Hash.bind(null, 'sha256') as unknown as ChecksumConstructor,
  });
  const r = await signer.sign({ method: 'POST', protocol: 'http:', hostname: host, path: '/', headers, body: o.body }, o.date ? { signingDate: o.date } : {});
  return { headers: r.headers as Record<string, string>, body: o.body };
}

async function send(signed: Signed): Promise<{ status: number; text: string }> {
  const h = { ...signed.headers };
  delete h['host'];
  const r = await fetch(`${s.url}/`, { method: 'POST', headers: h, body: signed.body });
  return { status: r.status, text: (await r.text()).replace(/&apos;/g, "'") };
}

const CREATE = (name: string): string => `Action=CreateGroup&Version=2010-05-08&GroupName=${name}`;

test('the credential scope must name iam, us-east-1 and the request date; a signature older than 15 minutes is refused', async () => {
  const ok = await send(await sign({ body: CREATE('scoped-ok') }));
  assert.equal(ok.status, 200, ok.text);
  const cases: [string, Parameters<typeof sign>[0], RegExp][] = [
    ['service s3', { body: CREATE('via-s3'), service: 's3' }, /Credential should be scoped to correct service: 'iam'/],
    ['service sts', { body: CREATE('via-sts'), service: 'sts' }, /Credential should be scoped to correct service: 'iam'/],
    ['region eu-west-1', { body: CREATE('via-eu'), region: 'eu-west-1' }, /Credential should be scoped to a valid region, not 'eu-west-1'/],
    ['20 minutes old', { body: CREATE('replayed'), date: new Date(Date.now() - 20 * 60_000) }, /Signature expired/],
    ['20 minutes ahead', { body: CREATE('future'), date: new Date(Date.now() + 20 * 60_000) }, /Signature not yet current/],
    ['UNSIGNED-PAYLOAD', { body: CREATE('unsigned'), payloadHash: 'UNSIGNED-PAYLOAD' }, /UNSIGNED-PAYLOAD is not accepted/],
    ['a claimed hash of another body', { body: CREATE('claimed'), payloadHash: 'a'.repeat(64) }, /x-amz-content-sha256/],
  ];
  for (const [what, o, message] of cases) {
    const r = await send(await sign(o));
    assert.equal(r.status, 403, `${what}: ${r.text}`);
    assert.match(r.text, /<Code>SignatureDoesNotMatch<\/Code>/, what);
    assert.match(r.text, message, what);
  }
  // The scope's date must be X-Amz-Date's day.
  const signed = await sign({ body: CREATE('wrong-day') });
  signed.headers['authorization'] = signed.headers['authorization']!.replace(/\/(\d{8})\//, '/19990101/');
  const r = await send(signed);
  assert.equal(r.status, 403);
  assert.match(r.text, /Date in Credential scope does not match/);
  const groups = await send(await sign({ body: 'Action=ListGroups&Version=2010-05-08' }));
  assert.match(groups.text, /scoped-ok/);
  assert.doesNotMatch(groups.text, /via-s3|via-sts|via-eu|replayed|future|unsigned|claimed|wrong-day/);
});

test('an SDK client configured for another region is refused by IAM; Access Analyzer takes the server region only', async () => {
  const c = iam(s.url, 'eu-west-1');
  await rejects(c.send(new ListRolesCommand({})), 'SignatureDoesNotMatch', 403, /valid region/);
  c.destroy();
  const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
  for (const [region, ok] of [
    ['us-east-1', true],
    ['eu-west-1', false],
  ] as const) {
    const aa = new AccessAnalyzerClient({ endpoint: s.url, region, credentials: { accessKeyId: 'AKIDIAMSIMTEST', secretAccessKey: 's3cr3t' }, maxAttempts: 1 });
    const p = aa.send(new ValidatePolicyCommand({ policyDocument: doc, policyType: 'IDENTITY_POLICY' }));
    if (ok) assert.ok(Array.isArray((await p).findings));
    else await rejects(p, 'InvalidSignatureException', 403, /valid region/);
    aa.destroy();
  }
});

test("a key bound to another account cannot simulate this account's roles or read them", async () => {
  const other = iam(s.url, 'us-east-1', 'AKIDOTHERACCOUNT', 'other');
  await rejects(other.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: EXEC_ROLE, ActionNames: ['s3:GetObject'] })), 'NoSuchEntityException', 404);
  await rejects(other.send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE })), 'NoSuchEntityException', 404);
  await rejects(other.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: ADMIN })), 'NoSuchEntityException', 404);
  other.destroy();
  const own = iam();
  const r = await own.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: EXEC_ROLE, ActionNames: ['s3:GetObject'] }));
  assert.equal(r.EvaluationResults?.length, 1);
  own.destroy();
  const authz = await fetch(`${s.url}/v1/authorize`, {
    method: 'POST',
    headers: (await signJson('/v1/authorize', { principal: EXEC_ROLE, action: 's3:GetObject' }, 'AKIDOTHERACCOUNT', 'other')).headers,
    body: JSON.stringify({ principal: EXEC_ROLE, action: 's3:GetObject' }),
  });
  assert.equal(authz.status, 403);
  assert.match(await authz.text(), /not in account 444455556666/);
});

async function signJson(path: string, body: unknown, key: string, secret: string): Promise<{ headers: Record<string, string> }> {
  const host = new URL(s.url).host;
  const signer = new SignatureV4({
    credentials: { accessKeyId: key, secretAccessKey: secret },
    region: 'us-east-1',
    service: 'iamsim',
    sha256: Hash.bind(null, 'sha256') as unknown as ChecksumConstructor,
  });
  const r = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: host,
    path,
    headers: { host, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const h = { ...(r.headers as Record<string, string>) };
  delete h['host'];
  return { headers: h };
}
