/** The IAM and STS Query actions the server answers, by service and name. Add an action by adding its module's export here. */
import { CREDENTIAL_ACTIONS } from './credentials.js';
import type { IamAction } from './registry.js';
import { READ_ACTIONS } from './reads.js';
import { RESOURCE_ACTIONS } from './resources.js';
import { SIMULATE_ACTIONS } from './simulate.js';
import { STS_ACTIONS } from './sts.js';
import { WRITE_ACTIONS } from './writes.js';

const ACTIONS: readonly IamAction[] = [...SIMULATE_ACTIONS, ...READ_ACTIONS, ...WRITE_ACTIONS, ...RESOURCE_ACTIONS, ...CREDENTIAL_ACTIONS, ...STS_ACTIONS];

/** Key of an action: `iam:CreateRole`, `sts:GetCallerIdentity`. */
export const actionKey = (service: 'iam' | 'sts', name: string): string => `${service}:${name}`;

export const IAM_ACTIONS: ReadonlyMap<string, IamAction> = new Map(ACTIONS.map((a) => [actionKey(a.service ?? 'iam', a.name), a] as const));
