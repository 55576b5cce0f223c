/**
 * Preflight of a bare policy file (`iamsim preflight WORKFLOW --policy FILE`), without an account export: the
 * policy is the inline policy of the workflow's subject role (its `policyRole` parameter, e.g. executionRoleArn);
 * that role trusts the service principals the workflow's steps have assume it (or the given trust policy); every
 * other role the steps name gets exactly the requests of its steps, so the checklist is about the given policy.
 */
import type { Account, Role } from '../account/model.js';
import { createUniverse, type Universe } from '../account/query.js';
import { parseArn } from '../primitives/arn.js';
import type { ConcreteStep } from './types.js';

export interface BarePolicy {
  readonly file: string;
  readonly text: string;
}

export interface BareInput {
  /** ARN of the role the policy belongs to. */
  readonly subject: string;
  readonly policies: readonly BarePolicy[];
  readonly trustPolicy?: BarePolicy;
  readonly steps: readonly ConcreteStep[];
}

const doc = (statements: readonly unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

function roleOf(arn: string, trust: string, inline: Role['inlinePolicies']): Role | undefined {
  const p = parseArn(arn);
  if (p === undefined || !p.resource.startsWith('role/')) return undefined;
  const rest = p.resource.slice('role/'.length);
  const slash = rest.lastIndexOf('/');
  return {
    arn,
    name: rest.slice(slash + 1),
    path: slash < 0 ? '/' : `/${rest.slice(0, slash + 1)}`,
    trustPolicy: trust,
    inlinePolicies: inline,
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
  };
}

/** Trust: the service principals that the steps have assume this role. */
function trustFor(arn: string, steps: readonly ConcreteStep[]): string {
  const services = [
    ...new Set(steps.filter((s) => /^sts:AssumeRole$/i.test(s.action) && s.resource === arn && !s.principal.startsWith('arn:')).map((s) => s.principal)),
  ];
  // A role no step assumes trusts no one (a policy needs a statement).
  if (services.length === 0) return doc([{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }]);
  return doc([{ Effect: 'Allow', Principal: { Service: services.length === 1 ? services[0] : services }, Action: 'sts:AssumeRole' }]);
}

/** One account holding the subject role with the given policy and the other roles the steps name. */
export function bareUniverse(input: BareInput): Universe {
  const account = parseArn(input.subject)?.account ?? '';
  const principals = [...new Set(input.steps.map((s) => s.principal).filter((p) => p.startsWith('arn:') && parseArn(p)?.account === account))];
  if (!principals.includes(input.subject)) principals.unshift(input.subject);
  const roles: Role[] = [];
  for (const arn of principals) {
    const own = input.steps.filter((s) => s.principal === arn && s.expect === 'allowed');
    const inline =
      arn === input.subject
        ? input.policies.map((p, i) => ({
            name: `policy${input.policies.length > 1 ? i + 1 : ''}`,
            document: p.text,
            origin: { file: p.file, line: 1, column: 1 },
          }))
        : own.length > 0
          ? [{ name: 'preflight-assumed-steps', document: doc(own.map((s) => ({ Effect: 'Allow', Action: s.action, Resource: s.resource }))) }]
          : [];
    const trust = arn === input.subject && input.trustPolicy !== undefined ? input.trustPolicy.text : trustFor(arn, input.steps);
    const role = roleOf(arn, trust, inline);
    if (role !== undefined)
      roles.push(
        input.trustPolicy !== undefined && arn === input.subject ? { ...role, trustPolicyOrigin: { file: input.trustPolicy.file, line: 1, column: 1 } } : role,
      );
  }
  const acct: Account = { id: account, users: [], groups: [], roles, managedPolicies: [], resourcePolicies: [], sources: input.policies.map((p) => p.file) };
  return createUniverse({ accounts: [acct] });
}
