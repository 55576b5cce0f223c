/**
 * `--auth sigv4`: requests must carry an AWS Signature Version 4 made with a
 * configured access key. The signature is recomputed over the headers the
 * client signed (with @smithy/signature-v4) and compared in constant time.
 * Credentials come from a file in the AWS shared-credentials format
 * (`[name]` sections with aws_access_key_id / aws_secret_access_key and,
 * optionally, aws_account_id: the account the key's IAM calls act in).
 */
import type { IncomingMessage } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ChecksumConstructor } from '@smithy/types';
import { ApiError } from './errors.js';
import { type Credential, credentialOf } from './sigv4-scope.js';
import type { Caller } from './types.js';

/** A configured access key: its secret and, optionally, the account its IAM calls act in. */
export interface AccessKey {
  readonly secret: string;
  readonly accountId?: string;
}

/** Access keys by access key id. */
export type Credentials = ReadonlyMap<string, AccessKey>;

/** Parses an AWS shared-credentials file; throws with the line number on a malformed line. */
export function parseCredentialsFile(text: string, file: string): Credentials {
  const keys = new Map<string, AccessKey>();
  let id: string | undefined;
  let secret: string | undefined;
  let account: string | undefined;
  const flush = (): void => {
    if (id !== undefined && secret !== undefined) keys.set(id, { secret, ...(account !== undefined ? { accountId: account } : {}) });
    id = undefined;
    secret = undefined;
    account = undefined;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (/^\[[^\]]+\]$/.test(line)) {
      flush();
      return;
    }
    const m = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`${file}:${i + 1}:1: expected 'name = value' or '[section]'`);
    if (m[1] === 'aws_access_key_id') id = m[2];
    else if (m[1] === 'aws_secret_access_key') secret = m[2];
    else if (m[1] === 'aws_account_id') account = m[2];
  });
  flush();
  if (keys.size === 0) throw new Error(`${file}:1:1: no aws_access_key_id / aws_secret_access_key pair found`);
  return keys;
}

const MAX_SKEW_MS = 15 * 60 * 1000;

/** What the route being called accepts in a credential scope (services; the region each is signed for). */
export interface ExpectedScope {
  /** Services whose signatures the route accepts; empty: any (iamsim's own APIs). */
  readonly services: readonly string[];
  /** The region a service's signatures must name (IAM: us-east-1; regional services: the server's region). */
  readonly regionOf: (service: string) => string | undefined;
}

type AuthFailure = 'missing' | 'unknown' | 'mismatch' | 'expired';

function authError(caller: Caller, kind: AuthFailure, message?: string): ApiError {
  const rest = caller.service === 'access-analyzer';
  switch (kind) {
    case 'missing':
      return new ApiError(403, rest ? 'MissingAuthenticationTokenException' : 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    case 'unknown':
      return new ApiError(403, rest ? 'UnrecognizedClientException' : 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    case 'expired':
      return new ApiError(403, rest ? 'InvalidSignatureException' : 'SignatureDoesNotMatch', message ?? 'Signature expired.');
    default:
      return new ApiError(
        403,
        rest ? 'InvalidSignatureException' : 'SignatureDoesNotMatch',
        message ?? 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
  }
}

function amzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

const stamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The credential scope against the route: service, region, and the scope's date against X-Amz-Date. */
function checkScope(cred: Credential, xAmzDate: string, expect: ExpectedScope | undefined, caller: Caller): void {
  if (expect !== undefined && expect.services.length > 0 && !expect.services.includes(cred.service)) {
    throw authError(caller, 'mismatch', `Credential should be scoped to correct service: '${expect.services[0]}'. `);
  }
  const region = expect?.regionOf(cred.service);
  if (region !== undefined && cred.region !== region) {
    throw authError(caller, 'mismatch', `Credential should be scoped to a valid region, not '${cred.region}'. `);
  }
  if (xAmzDate.slice(0, 8) !== cred.date) {
    throw authError(
      caller,
      'mismatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${cred.date}' != '${xAmzDate.slice(0, 8)}', from 'X-Amz-Date'.`,
    );
  }
}

/** Refuses a request signed more than 15 minutes from now (either way): AWS's replay window. */
function checkTime(date: Date, now: number, caller: Caller): void {
  const t = date.getTime();
  if (t < now - MAX_SKEW_MS)
    throw authError(caller, 'expired', `Signature expired: ${stamp(t)} is now earlier than ${stamp(now - MAX_SKEW_MS)} (${stamp(now)} - 15 min.)`);
  if (t > now + MAX_SKEW_MS)
    throw authError(caller, 'expired', `Signature not yet current: ${stamp(t)} is still later than ${stamp(now + MAX_SKEW_MS)} (${stamp(now)} + 15 min.)`);
}

/**
 * The payload hash is computed from the bytes received. A client's
 * `x-amz-content-sha256` must equal it (UNSIGNED-PAYLOAD included: IAM, STS
 * and Access Analyzer sign their payloads), so a signature can never cover a
 * body other than the one being answered.
 */
function checkPayload(header: string | string[] | undefined, body: Buffer, caller: Caller): string {
  const computed = createHash('sha256').update(body).digest('hex');
  if (header === undefined) return computed;
  const claimed = Array.isArray(header) ? header.join(',') : header;
  if (claimed === 'UNSIGNED-PAYLOAD' || claimed.startsWith('STREAMING-')) {
    throw authError(caller, 'mismatch', `${claimed} is not accepted by ${caller.service ?? 'this service'}: the payload must be signed.`);
  }
  if (claimed.toLowerCase() !== computed) throw authError(caller, 'mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  return computed;
}

/**
 * Verifies the request's signature; returns the caller marked verified, or
 * throws a 403 ApiError. Checked: a configured key, the credential scope
 * against the route (`expect`), the time (15 minutes), the payload hash of the
 * received body, then the signature itself.
 */
export async function verifySignature(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  keys: Credentials,
  caller: Caller,
  expect?: ExpectedScope,
  now = Date.now(),
): Promise<Caller> {
  const cred = credentialOf(req.headers, { hasQuery: true, url });
  const auth = req.headers['authorization'];
  if (cred === undefined || typeof auth !== 'string') throw authError(caller, 'missing');
  const key = keys.get(cred.accessKeyId);
  if (key === undefined) throw authError(caller, 'unknown');
  const given = /Signature=([0-9a-f]{64})/.exec(auth)?.[1];
  const signed = /SignedHeaders=([^,\s]+)/.exec(auth)?.[1]?.split(';') ?? [];
  const xAmzDate = String(req.headers['x-amz-date'] ?? '');
  const date = amzDate(xAmzDate);
  if (given === undefined || date === undefined || !signed.includes('host')) throw authError(caller, 'mismatch');
  checkScope(cred, xAmzDate, expect, caller);
  checkTime(date, now, caller);
  const payloadHash = checkPayload(req.headers['x-amz-content-sha256'], body, caller);
  const headers: Record<string, string> = {};
  for (const h of signed) {
    const v = req.headers[h];
    if (v !== undefined) headers[h] = Array.isArray(v) ? v.join(',') : v;
  }
  // The computed hash, never the client's claim (equal when present: checked above).
  if (signed.includes('x-amz-content-sha256')) headers['x-amz-content-sha256'] = payloadHash;
  const query: Record<string, string | string[]> = {};
  for (const k of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(k);
    query[k] = all.length === 1 ? all[0]! : all;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: key.secret },
    region: cred.region,
    service: cred.service,
    sha256: Hash.bind(null, 'sha256') as unknown as ChecksumConstructor,
    applyChecksum: false,
  });
  const out = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: String(req.headers.host ?? ''),
      path: url.pathname,
      query,
      headers,
      body,
    },
    { signingDate: date, signingRegion: cred.region, signingService: cred.service, signableHeaders: new Set(signed) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(out.headers['authorization'] ?? out.headers['Authorization'] ?? ''))?.[1] ?? '';
  if (expected.length !== given.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(given))) throw authError(caller, 'mismatch');
  return { ...caller, verified: true, ...(key.accountId !== undefined ? { accountId: key.accountId } : {}) };
}
