/** The IAM Query actions the server answers, by name. Add an action by adding its module's export here. */
import type { IamAction } from './registry.js';
import { READ_ACTIONS } from './reads.js';
import { SIMULATE_ACTIONS } from './simulate.js';
import { STS_ACTIONS } from './sts.js';
import { WRITE_ACTIONS } from './writes.js';

const ACTIONS: readonly IamAction[] = [...SIMULATE_ACTIONS, ...READ_ACTIONS, ...WRITE_ACTIONS, ...STS_ACTIONS];

export const IAM_ACTIONS: ReadonlyMap<string, IamAction> = new Map(ACTIONS.map((a) => [a.name, a] as const));
