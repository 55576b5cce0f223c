/** Reads (without verifying) the SigV4 credential of a request: access key id and credential scope. */
import type { IncomingHttpHeaders } from 'node:http';

export interface Credential {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** The request target: its URL is only parsed when the request has a query string and no Authorization header. */
export interface TargetUrl {
  readonly hasQuery: boolean;
  readonly url: URL;
}

export function credentialOf(headers: IncomingHttpHeaders, target: TargetUrl): Credential | undefined {
  const auth = headers['authorization'];
  const query = target.hasQuery ? target.url.searchParams : undefined;
  const text =
    typeof auth === 'string' && auth.startsWith('AWS4-HMAC-SHA256 ')
      ? auth
      : query?.has('X-Amz-Credential')
        ? `Credential=${query.get('X-Amz-Credential') ?? ''}`
        : undefined;
  if (text === undefined) return undefined;
  const m = CREDENTIAL.exec(text);
  if (!m) return undefined;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! };
}
