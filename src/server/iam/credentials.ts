/**
 * IAM's user credential and server certificate operations: access keys
 * (metadata; the secret only in CreateAccessKey's answer), login profiles
 * (never a password), virtual MFA devices (the seed only in
 * CreateVirtualMFADevice's answer) and server certificates (never the private
 * key). The rules are pure edits in account/edit (credentials.ts,
 * server-certificates.ts); these handlers read and write the caller's account.
 *
 * An operation whose UserName is optional acts, without one, on the user
 * that signed the request (IAM API Reference). iamsim's callers sign as their
 * account, whose root credentials it does not hold, so those calls need the
 * UserName (InvalidInput otherwise) rather than answer for a user nobody named.
 */
import { randomBytes } from 'node:crypto';
import * as edit from '../../account/edit/index.js';
import type { Account, ServerCertificate, VirtualMfaDevice } from '../../account/model.js';
import { ApiError } from '../errors.js';
import type * as Iam from '../../protocol/generated/iam.js';
import type { Answer, IamAction } from './registry.js';
import { change, read, tagPage } from './resources.js';
import { page } from './simulate-shape.js';
import { present, tags, userShape } from './shapes.js';
import { env, tagsOf } from './writes.js';

function named(userName: string | undefined, op: string): string {
  if (userName !== undefined) return userName;
  throw new ApiError(
    400,
    'InvalidInput',
    `${op} without UserName acts on the signing user; iamsim signs as the account (root), whose credentials it does not hold: pass UserName.`,
  );
}

/** A secret access key as IAM makes them: 40 characters of base64. */
const newSecret = (): string => randomBytes(30).toString('base64');

/** A TOTP seed as IAM returns it: 40 random bytes in base32 (RFC 4648), 64 characters; the blob member carries them base64-encoded. */
function newSeed(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...randomBytes(40)].map((b) => b.toString(2).padStart(8, '0')).join('');
  const base32 = bits
    .match(/.{5}/g)!
    .map((x) => alphabet[Number.parseInt(x, 2)])
    .join('');
  return Buffer.from(base32, 'ascii').toString('base64');
}

const keyShape = (k: {
  userName: string;
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate: string;
}): Required<Answer<Iam.AccessKeyMetadata>> => ({
  UserName: k.userName,
  AccessKeyId: k.accessKeyId,
  Status: k.status,
  CreateDate: k.createDate,
});

const ACCESS_KEYS: readonly IamAction[] = [
  change('CreateAccessKey', (p, a) => {
    const r = edit.createAccessKey(a, named(p.UserName, 'CreateAccessKey'), env());
    return { account: r.account, result: { AccessKey: { ...keyShape(r.key), SecretAccessKey: newSecret() } } };
  }),
  change('UpdateAccessKey', (p, a) => edit.updateAccessKey(a, named(p.UserName, 'UpdateAccessKey'), p.AccessKeyId, p.Status)),
  change('DeleteAccessKey', (p, a) => edit.deleteAccessKey(a, named(p.UserName, 'DeleteAccessKey'), p.AccessKeyId)),
  read('ListAccessKeys', (p, a) => {
    const user = named(p.UserName, 'ListAccessKeys');
    edit.requireEntity(a, 'user', user);
    return page(edit.accessKeysOf(a, user).map(keyShape), p, 'AccessKeyMetadata');
  }),
  read('GetAccessKeyLastUsed', (p, a) => {
    const k = edit.requireAccessKey(a, p.AccessKeyId);
    // A key never used: ServiceName and Region are N/A and LastUsedDate is absent (AccessKeyLastUsed data type).
    const used = k.lastUsed;
    return {
      UserName: k.userName,
      AccessKeyLastUsed: used ? { LastUsedDate: used.date, ServiceName: used.serviceName, Region: used.region } : { ServiceName: 'N/A', Region: 'N/A' },
    };
  }),
];

const profileShape = (p: { userName: string; createDate: string; passwordResetRequired: boolean }) => ({
  UserName: p.userName,
  CreateDate: p.createDate,
  PasswordResetRequired: p.passwordResetRequired,
});

const LOGIN_PROFILES: readonly IamAction[] = [
  change('CreateLoginProfile', (p, a) => {
    const r = edit.createLoginProfile(
      a,
      {
        userName: named(p.UserName, 'CreateLoginProfile'),
        password: p.Password,
        ...(p.PasswordResetRequired !== undefined ? { passwordResetRequired: p.PasswordResetRequired } : {}),
      },
      env(),
    );
    return { account: r.account, result: { LoginProfile: profileShape(r.profile) } };
  }),
  change('UpdateLoginProfile', (p, a) => edit.updateLoginProfile(a, p.UserName, p.Password, p.PasswordResetRequired)),
  change('DeleteLoginProfile', (p, a) => edit.deleteLoginProfile(a, named(p.UserName, 'DeleteLoginProfile'))),
  read('GetLoginProfile', (p, a) => ({ LoginProfile: profileShape(edit.requireLoginProfile(a, named(p.UserName, 'GetLoginProfile'))) })),
];

function virtualShape(a: Account, d: VirtualMfaDevice): Answer<Iam.VirtualMFADevice> {
  const user = d.userName !== undefined ? a.users.find((u) => u.name === d.userName) : undefined;
  return {
    SerialNumber: d.serialNumber,
    ...(user !== undefined ? { User: userShape(user, false) } : {}),
    ...(d.enableDate !== undefined ? { EnableDate: d.enableDate } : {}),
    ...(d.tags.length > 0 ? { Tags: tags(d.tags) } : {}),
  };
}

const MFA: readonly IamAction[] = [
  change('CreateVirtualMFADevice', (p, a) => {
    const r = edit.createVirtualMfaDevice(a, { name: p.VirtualMFADeviceName, ...(p.Path !== undefined ? { path: p.Path } : {}), tags: tagsOf(p.Tags) }, env());
    // The seed is answered once and not kept; iamsim draws no QR code (QRCodePNG is absent: use Base32StringSeed).
    return {
      account: r.account,
      result: {
        VirtualMFADevice: {
          SerialNumber: r.device.serialNumber,
          Base32StringSeed: newSeed(),
          ...(r.device.tags.length > 0 ? { Tags: tags(r.device.tags) } : {}),
        },
      },
    };
  }),
  change('EnableMFADevice', (p, a) => edit.enableMfaDevice(a, p.UserName, p.SerialNumber, env())),
  change('DeactivateMFADevice', (p, a) => edit.deactivateMfaDevice(a, named(p.UserName, 'DeactivateMFADevice'), p.SerialNumber)),
  change('DeleteVirtualMFADevice', (p, a) => edit.deleteVirtualMfaDevice(a, p.SerialNumber)),
  change('TagMFADevice', (p, a) => edit.tagMfaDevice(a, p.SerialNumber, tagsOf(p.Tags))),
  change('UntagMFADevice', (p, a) => edit.untagMfaDevice(a, p.SerialNumber, p.TagKeys)),
  read('ListMFADeviceTags', (p, a) => tagPage(edit.requireMfaDevice(a, p.SerialNumber).tags, p)),
  read('ListMFADevices', (p, a) => {
    const user = named(p.UserName, 'ListMFADevices');
    edit.requireEntity(a, 'user', user);
    // A device is the user's once enabled, so it has its EnableDate (MFADevice: required).
    const list = edit
      .mfaDevicesOf(a, user)
      .flatMap((d) => (d.enableDate !== undefined ? [{ UserName: user, SerialNumber: d.serialNumber, EnableDate: d.enableDate }] : []));
    return page(list, p, 'MFADevices');
  }),
  read('ListVirtualMFADevices', (p, a) => {
    const status = p.AssignmentStatus ?? 'Any';
    const list = (a.virtualMfaDevices ?? []).filter((d) => status === 'Any' || (status === 'Assigned') === (d.userName !== undefined));
    return page(
      list.map((d) => virtualShape(a, d)),
      p,
      'VirtualMFADevices',
    );
  }),
  read('GetMFADevice', (p, a) => {
    const d = edit.requireMfaDevice(a, p.SerialNumber);
    if (d.userName === undefined || (p.UserName !== undefined && d.userName !== p.UserName))
      throw new edit.EditError('NoSuchEntity', `MFA Device with serial number ${p.SerialNumber} is not enabled for a user.`);
    return { UserName: d.userName, SerialNumber: d.serialNumber, ...present({ EnableDate: d.enableDate }) };
  }),
];

const certificateMetadata = (c: ServerCertificate) => ({
  Path: c.path,
  ServerCertificateName: c.name,
  ServerCertificateId: c.id,
  Arn: c.arn,
  UploadDate: c.uploadDate,
  Expiration: c.expiration,
});

const SERVER_CERTIFICATES: readonly IamAction[] = [
  change('UploadServerCertificate', (p, a) => {
    const r = edit.uploadServerCertificate(
      a,
      {
        name: p.ServerCertificateName,
        ...(p.Path !== undefined ? { path: p.Path } : {}),
        body: p.CertificateBody,
        privateKey: p.PrivateKey,
        ...(p.CertificateChain !== undefined ? { chain: p.CertificateChain } : {}),
        tags: tagsOf(p.Tags),
      },
      env(),
    );
    const c = r.certificate;
    return { account: r.account, result: { ServerCertificateMetadata: certificateMetadata(c), ...(c.tags.length > 0 ? { Tags: tags(c.tags) } : {}) } };
  }),
  change('UpdateServerCertificate', (p, a) => edit.updateServerCertificate(a, p.ServerCertificateName, p.NewServerCertificateName, p.NewPath)),
  change('DeleteServerCertificate', (p, a) => edit.deleteServerCertificate(a, p.ServerCertificateName)),
  change('TagServerCertificate', (p, a) => edit.tagServerCertificate(a, p.ServerCertificateName, tagsOf(p.Tags))),
  change('UntagServerCertificate', (p, a) => edit.untagServerCertificate(a, p.ServerCertificateName, p.TagKeys)),
  read('ListServerCertificateTags', (p, a) => tagPage(edit.requireServerCertificate(a, p.ServerCertificateName).tags, p)),
  read('GetServerCertificate', (p, a) => {
    const c = edit.requireServerCertificate(a, p.ServerCertificateName);
    return {
      ServerCertificate: {
        ServerCertificateMetadata: certificateMetadata(c),
        CertificateBody: c.body,
        ...(c.chain !== undefined ? { CertificateChain: c.chain } : {}),
        Tags: tags(c.tags),
      },
    };
  }),
  read('ListServerCertificates', (p, a) => {
    const prefix = p.PathPrefix ?? '/';
    const list = (a.serverCertificates ?? []).filter((c) => c.path.startsWith(prefix));
    return page(list.map(certificateMetadata), p, 'ServerCertificateMetadataList');
  }),
];

export const CREDENTIAL_ACTIONS: readonly IamAction[] = [...ACCESS_KEYS, ...LOGIN_PROFILES, ...MFA, ...SERVER_CERTIFICATES];
