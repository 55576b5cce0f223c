/**
 * Pure edits of an account's server certificates as IAM's APIs make them
 * (IAM API Reference: UploadServerCertificate, GetServerCertificate,
 * UpdateServerCertificate, DeleteServerCertificate; IAM User Guide, "Manage
 * server certificates in IAM" and "IAM and AWS STS quotas": 20 server
 * certificates per account). The certificate body and chain are PEM X.509
 * (MalformedCertificate otherwise), the private key must be the
 * certificate's (KeyPairMismatch); the key is checked and never kept — IAM
 * never returns it.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Account, ServerCertificate, Tag } from '../model.js';
import type { EditEnv } from './entities.js';
import { checkPath, EditError, mergeTags, removeTags } from './rules.js';

export const SERVER_CERTIFICATE_QUOTAS = { perAccount: 20 } as const;

export function requireServerCertificate(a: Account, name: string): ServerCertificate {
  const c = (a.serverCertificates ?? []).find((x) => x.name === name);
  if (c === undefined) throw new EditError('NoSuchEntity', `The Server Certificate with name ${name} cannot be found.`);
  return c;
}

function certificate(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new EditError('MalformedCertificate', `Unable to parse ${what}. Please verify it is a PEM-encoded X.509 certificate.`);
  }
}

/** The certificate's notAfter (ISO 8601), after checking the key pairs with it. */
function checkCertificate(body: string, privateKey: string, chain: string | undefined): string {
  const cert = certificate(body, 'certificate');
  if (chain !== undefined) {
    for (const pem of chain.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [chain]) certificate(pem, 'certificate chain');
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    throw new EditError('MalformedCertificate', 'Unable to parse private key. Please verify it is a PEM-encoded private key.');
  }
  if (!cert.checkPrivateKey(key)) throw new EditError('KeyPairMismatch', 'The public key in the certificate does not match the private key.');
  return new Date(cert.validTo).toISOString().replace(/\.000Z$/, 'Z');
}

export function uploadServerCertificate(
  a: Account,
  p: { name: string; path?: string; body: string; privateKey: string; chain?: string; tags?: readonly Tag[] },
  env: EditEnv,
): { account: Account; certificate: ServerCertificate } {
  const path = p.path ?? '/';
  checkPath(path);
  const all = a.serverCertificates ?? [];
  if (all.some((x) => x.name.toLowerCase() === p.name.toLowerCase()))
    throw new EditError('EntityAlreadyExists', `The Server Certificate with name ${p.name} already exists.`);
  if (all.length >= SERVER_CERTIFICATE_QUOTAS.perAccount)
    throw new EditError('LimitExceeded', `Cannot exceed quota for ServerCertificatesPerAccount: ${SERVER_CERTIFICATE_QUOTAS.perAccount}`);
  const expiration = checkCertificate(p.body, p.privateKey, p.chain);
  const c: ServerCertificate = {
    arn: `arn:aws:iam::${a.id}:server-certificate${path}${p.name}`,
    name: p.name,
    path,
    id: env.newId('ASCA'),
    uploadDate: env.now,
    expiration,
    body: p.body,
    ...(p.chain !== undefined ? { chain: p.chain } : {}),
    tags: mergeTags([], p.tags ?? []),
  };
  return { account: { ...a, serverCertificates: [...all, c] }, certificate: c };
}

const replace = (a: Account, name: string, next: ServerCertificate | undefined): Account => ({
  ...a,
  serverCertificates: (a.serverCertificates ?? []).flatMap((x) => (x.name !== name ? [x] : next !== undefined ? [next] : [])),
});

/** New name and/or path (the ARN follows; IAM keeps the id). */
export function updateServerCertificate(a: Account, name: string, newName: string | undefined, newPath: string | undefined): Account {
  const c = requireServerCertificate(a, name);
  const nextName = newName ?? c.name;
  const nextPath = newPath ?? c.path;
  checkPath(nextPath);
  if (nextName.toLowerCase() !== name.toLowerCase() && (a.serverCertificates ?? []).some((x) => x.name.toLowerCase() === nextName.toLowerCase()))
    throw new EditError('EntityAlreadyExists', `The Server Certificate with name ${nextName} already exists.`);
  return replace(a, name, { ...c, name: nextName, path: nextPath, arn: `arn:aws:iam::${a.id}:server-certificate${nextPath}${nextName}` });
}

export const deleteServerCertificate = (a: Account, name: string): Account => {
  requireServerCertificate(a, name);
  return replace(a, name, undefined);
};

export function tagServerCertificate(a: Account, name: string, tags: readonly Tag[]): Account {
  const c = requireServerCertificate(a, name);
  return replace(a, name, { ...c, tags: mergeTags(c.tags, tags) });
}

export function untagServerCertificate(a: Account, name: string, keys: readonly string[]): Account {
  const c = requireServerCertificate(a, name);
  return replace(a, name, { ...c, tags: removeTags(c.tags, keys) });
}
