/**
 * `--auth sigv4`: requests must carry an AWS Signature Version 4 made with a
 * configured access key. The signature is recomputed over the headers the
 * client signed (with @smithy/signature-v4) and compared in constant time.
 * Credentials come from a file in the AWS shared-credentials format
 * (`[name]` sections with aws_access_key_id / aws_secret_access_key and,
 * optionally, aws_account_id: the account the key's IAM calls act in).
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ChecksumConstructor } from '@smithy/types';
import { ApiError } from './errors.js';
import { credentialOf } from './sigv4-scope.js';
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

function authError(caller: Caller, kind: 'missing' | 'unknown' | 'mismatch' | 'expired'): ApiError {
  const rest = caller.service === 'access-analyzer';
  switch (kind) {
    case 'missing':
      return new ApiError(403, rest ? 'MissingAuthenticationTokenException' : 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    case 'unknown':
      return new ApiError(403, rest ? 'UnrecognizedClientException' : 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    case 'expired':
      return new ApiError(
        403,
        rest ? 'InvalidSignatureException' : 'SignatureDoesNotMatch',
        'Signature expired: the request time is more than 15 minutes from the server time.',
      );
    default:
      return new ApiError(
        403,
        rest ? 'InvalidSignatureException' : 'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
  }
}

function amzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

/** Verifies the request's signature; returns the caller marked verified, or throws a 403 ApiError. */
export async function verifySignature(req: IncomingMessage, url: URL, body: Buffer, keys: Credentials, caller: Caller): Promise<Caller> {
  const cred = credentialOf(req.headers, { hasQuery: true, url });
  const auth = req.headers['authorization'];
  if (cred === undefined || typeof auth !== 'string') throw authError(caller, 'missing');
  const key = keys.get(cred.accessKeyId);
  if (key === undefined) throw authError(caller, 'unknown');
  const given = /Signature=([0-9a-f]{64})/.exec(auth)?.[1];
  const signed = /SignedHeaders=([^,\s]+)/.exec(auth)?.[1]?.split(';') ?? [];
  const date = amzDate(String(req.headers['x-amz-date'] ?? ''));
  if (given === undefined || date === undefined || !signed.includes('host')) throw authError(caller, 'mismatch');
  if (Math.abs(Date.now() - date.getTime()) > MAX_SKEW_MS) throw authError(caller, 'expired');
  const headers: Record<string, string> = {};
  for (const h of signed) {
    const v = req.headers[h];
    if (v !== undefined) headers[h] = Array.isArray(v) ? v.join(',') : v;
  }
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
