/**
 * Pure edits of an IAM user's credentials as IAM's APIs make them, keeping
 * only what IAM itself shows again later (IAM API Reference: CreateAccessKey,
 * UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed; CreateLoginProfile,
 * UpdateLoginProfile, DeleteLoginProfile; CreateVirtualMFADevice,
 * EnableMFADevice, DeactivateMFADevice, DeleteVirtualMFADevice, DeleteUser):
 * an access key's id, status and dates, never its secret (returned once, by
 * CreateAccessKey); a login profile's dates, never the password; a virtual MFA
 * device's serial number and assignment, never its seed (returned once, by
 * CreateVirtualMFADevice). Quotas from the IAM User Guide, "IAM and AWS STS
 * quotas": 2 access keys per user, 8 MFA devices in use per user.
 */
import type { Account, AccessKey, LoginProfile, Tag, VirtualMfaDevice } from '../model.js';
import { type EditEnv, requireEntity } from './entities.js';
import { checkPath, checkTags, EditError, mergeTags, removeTags } from './rules.js';

export const CREDENTIAL_QUOTAS = { accessKeysPerUser: 2, mfaDevicesPerUser: 8 } as const;

// ---- access keys

export const accessKeysOf = (a: Account, userName: string): AccessKey[] => (a.accessKeys ?? []).filter((k) => k.userName === userName);

/** The key with this id (of `userName` when given): IAM answers NoSuchEntity for a key the user does not hold. */
export function requireAccessKey(a: Account, accessKeyId: string, userName?: string): AccessKey {
  const k = (a.accessKeys ?? []).find((x) => x.accessKeyId === accessKeyId && (userName === undefined || x.userName === userName));
  if (k === undefined) throw new EditError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
  return k;
}

/** A new active key for `userName` (its secret is the caller's to return once, never stored here). */
export function createAccessKey(a: Account, userName: string, env: EditEnv): { account: Account; key: AccessKey } {
  requireEntity(a, 'user', userName);
  if (accessKeysOf(a, userName).length >= CREDENTIAL_QUOTAS.accessKeysPerUser)
    throw new EditError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${CREDENTIAL_QUOTAS.accessKeysPerUser}`);
  // Access key ids are 20 characters: AKIA and 16 of IAM's unique-id alphabet.
  const key: AccessKey = { accessKeyId: env.newId('AKIA').slice(0, 20), userName, status: 'Active', createDate: env.now };
  return { account: { ...a, accessKeys: [...(a.accessKeys ?? []), key] }, key };
}

export function updateAccessKey(a: Account, userName: string, accessKeyId: string, status: string): Account {
  requireEntity(a, 'user', userName);
  requireAccessKey(a, accessKeyId, userName);
  // Expired is in the model's enum but only IAM sets it; a request may set Active or Inactive.
  if (status !== 'Active' && status !== 'Inactive') throw new EditError('InvalidInput', `Status ${status} cannot be set: use Active or Inactive.`);
  return { ...a, accessKeys: (a.accessKeys ?? []).map((k) => (k.accessKeyId === accessKeyId ? { ...k, status } : k)) };
}

export function deleteAccessKey(a: Account, userName: string, accessKeyId: string): Account {
  requireEntity(a, 'user', userName);
  requireAccessKey(a, accessKeyId, userName);
  return { ...a, accessKeys: (a.accessKeys ?? []).filter((k) => k.accessKeyId !== accessKeyId) };
}

// ---- login profiles

/**
 * IAM's default password policy, which applies while the account sets none (IAM User Guide, "Set an account
 * password policy for IAM users", Default password policy): 8 to 128 characters, with at least three of the four
 * character types — uppercase, lowercase, numbers, and the symbols ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '.
 */
export function checkDefaultPasswordPolicy(password: string): void {
  const types = [/[A-Z]/, /[a-z]/, /[0-9]/, /[!@#$%^&*()_+\-=[\]{}|']/].filter((re) => re.test(password)).length;
  if (password.length < 8 || password.length > 128 || types < 3)
    throw new EditError(
      'PasswordPolicyViolation',
      'Password does not conform to the account password policy: it needs 8 to 128 characters with at least three of uppercase letters, lowercase letters, numbers and symbols.',
    );
}

export function requireLoginProfile(a: Account, userName: string): LoginProfile {
  requireEntity(a, 'user', userName);
  const p = (a.loginProfiles ?? []).find((x) => x.userName === userName);
  if (p === undefined) throw new EditError('NoSuchEntity', `Login Profile for User ${userName} cannot be found.`);
  return p;
}

export function createLoginProfile(
  a: Account,
  p: { userName: string; password: string | undefined; passwordResetRequired?: boolean },
  env: EditEnv,
): { account: Account; profile: LoginProfile } {
  requireEntity(a, 'user', p.userName);
  if ((a.loginProfiles ?? []).some((x) => x.userName === p.userName))
    throw new EditError('EntityAlreadyExists', `Login Profile for user ${p.userName} already exists.`);
  if (p.password === undefined) throw new EditError('ValidationError', 'Password is required to create a login profile for an IAM user.');
  checkDefaultPasswordPolicy(p.password);
  const profile: LoginProfile = { userName: p.userName, createDate: env.now, passwordResetRequired: p.passwordResetRequired ?? false };
  return { account: { ...a, loginProfiles: [...(a.loginProfiles ?? []), profile] }, profile };
}

export function updateLoginProfile(a: Account, userName: string, password: string | undefined, passwordResetRequired: boolean | undefined): Account {
  const current = requireLoginProfile(a, userName);
  if (password !== undefined) checkDefaultPasswordPolicy(password);
  const next = { ...current, ...(passwordResetRequired !== undefined ? { passwordResetRequired } : {}) };
  return { ...a, loginProfiles: (a.loginProfiles ?? []).map((x) => (x.userName === userName ? next : x)) };
}

export function deleteLoginProfile(a: Account, userName: string): Account {
  requireLoginProfile(a, userName);
  return { ...a, loginProfiles: (a.loginProfiles ?? []).filter((x) => x.userName !== userName) };
}

// ---- virtual MFA devices

export function requireMfaDevice(a: Account, serialNumber: string): VirtualMfaDevice {
  const d = (a.virtualMfaDevices ?? []).find((x) => x.serialNumber === serialNumber);
  if (d === undefined) throw new EditError('NoSuchEntity', `MFA Device with serial number ${serialNumber} does not exist.`);
  return d;
}

const replaceDevice = (a: Account, d: VirtualMfaDevice): Account => ({
  ...a,
  virtualMfaDevices: (a.virtualMfaDevices ?? []).map((x) => (x.serialNumber === d.serialNumber ? d : x)),
});

export function createVirtualMfaDevice(
  a: Account,
  p: { name: string; path?: string; tags?: readonly Tag[] },
  env: EditEnv,
): { account: Account; device: VirtualMfaDevice } {
  const path = p.path ?? '/';
  checkPath(path);
  checkTags(p.tags ?? [], (p.tags ?? []).length);
  const serialNumber = `arn:aws:iam::${a.id}:mfa${path}${p.name}`;
  if ((a.virtualMfaDevices ?? []).some((x) => x.serialNumber.toLowerCase() === serialNumber.toLowerCase()))
    throw new EditError('EntityAlreadyExists', `MFADevice entity at the same path and name already exists.`);
  const device: VirtualMfaDevice = { serialNumber, createDate: env.now, tags: p.tags ?? [] };
  return { account: { ...a, virtualMfaDevices: [...(a.virtualMfaDevices ?? []), device] }, device };
}

/** Assigns the device to the user (the authentication codes are not checked: iamsim keeps no seed to check them with). */
export function enableMfaDevice(a: Account, userName: string, serialNumber: string, env: EditEnv): Account {
  requireEntity(a, 'user', userName);
  const d = requireMfaDevice(a, serialNumber);
  if (d.userName !== undefined) throw new EditError('EntityAlreadyExists', `MFA Device is already in use.`);
  if (mfaDevicesOf(a, userName).length >= CREDENTIAL_QUOTAS.mfaDevicesPerUser)
    throw new EditError('LimitExceeded', `Cannot exceed quota for MFADevicesPerUser: ${CREDENTIAL_QUOTAS.mfaDevicesPerUser}`);
  return replaceDevice(a, { ...d, userName, enableDate: env.now });
}

export function deactivateMfaDevice(a: Account, userName: string, serialNumber: string): Account {
  requireEntity(a, 'user', userName);
  const d = requireMfaDevice(a, serialNumber);
  if (d.userName !== userName) throw new EditError('NoSuchEntity', `MFA Device with serial number ${serialNumber} is not enabled for user ${userName}.`);
  const { userName: _u, enableDate: _e, ...rest } = d;
  return replaceDevice(a, rest);
}

export function deleteVirtualMfaDevice(a: Account, serialNumber: string): Account {
  const d = requireMfaDevice(a, serialNumber);
  if (d.userName !== undefined) throw new EditError('DeleteConflict', 'MFA VirtualDevice in use. Must deactivate first.');
  return { ...a, virtualMfaDevices: (a.virtualMfaDevices ?? []).filter((x) => x.serialNumber !== serialNumber) };
}

export const mfaDevicesOf = (a: Account, userName: string): VirtualMfaDevice[] => (a.virtualMfaDevices ?? []).filter((d) => d.userName === userName);

export function tagMfaDevice(a: Account, serialNumber: string, tags: readonly Tag[]): Account {
  const d = requireMfaDevice(a, serialNumber);
  return replaceDevice(a, { ...d, tags: mergeTags(d.tags, tags) });
}

export function untagMfaDevice(a: Account, serialNumber: string, keys: readonly string[]): Account {
  const d = requireMfaDevice(a, serialNumber);
  return replaceDevice(a, { ...d, tags: removeTags(d.tags, keys) });
}
