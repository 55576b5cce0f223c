/** The IAM Query actions the server answers, by name. Add an action by adding its module's export here. */
import type { IamAction } from './registry.js';
import { simulateCustomPolicy } from './simulate.js';

const ACTIONS: readonly IamAction[] = [simulateCustomPolicy];

export const IAM_ACTIONS: ReadonlyMap<string, IamAction> = new Map(ACTIONS.map((a) => [a.name, a] as const));
