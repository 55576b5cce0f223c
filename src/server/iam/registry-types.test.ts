/**
 * A handler's answer is checked against the operation's output shape in AWS's
 * model when the project compiles (registry.ts `iamAction`, `IamResult`). Each
 * `@ts-expect-error` below is a handler the compiler must refuse: when the
 * check stops refusing one, the directive is unused and `npm run build` fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Role } from '../../account/model.js';
import { iamAction, stsAction } from './registry.js';
import { page } from './simulate-shape.js';
import { roleShape } from './shapes.js';

const ROLE: Role = {
  arn: 'arn:aws:iam::111122223333:role/R',
  name: 'R',
  path: '/',
  trustPolicy: '{}',
  inlinePolicies: [],
  managedPolicies: [],
  tags: [],
  maxSessionDuration: 3600,
};

test("handlers answer the model's output shape, nothing more (checked when the project compiles)", () => {
  const ok = [
    iamAction('GetRole', false, () => ({ Role: roleShape(ROLE) })),
    iamAction('ListRoles', false, () => page([roleShape(ROLE, false)], {}, 'Roles')),
    iamAction('DeleteRole', true, () => undefined),
    stsAction('GetCallerIdentity', () => ({ Account: '111122223333' })),
  ];
  const refused = [
    // @ts-expect-error a member GetRole's output does not have
    iamAction('GetRole', false, () => ({ Role: roleShape(ROLE), Extra: true })),
    // @ts-expect-error a member Role does not have, one level down
    iamAction('GetRole', false, () => ({ Role: { ...roleShape(ROLE), Sid: 'x' } })),
    // @ts-expect-error a list under a name ListRoles does not answer
    iamAction('ListRoles', false, () => page([roleShape(ROLE, false)], {}, 'Role')),
    // @ts-expect-error a member of the wrong type
    iamAction('GetRole', false, () => ({ Role: { ...roleShape(ROLE), MaxSessionDuration: '3600' } })),
    // @ts-expect-error a value outside the model's enum
    iamAction('GetRole', false, () => ({ Role: { ...roleShape(ROLE), PermissionsBoundary: { PermissionsBoundaryType: 'Policy' } } })),
    // @ts-expect-error a required member missing (GetRole's Role)
    iamAction('GetRole', false, () => ({})),
    // @ts-expect-error an async handler's stray member
    iamAction('GetRole', false, async () => ({ Role: roleShape(ROLE), Marker: 'm' })),
    // @ts-expect-error STS too
    stsAction('GetCallerIdentity', () => ({ Account: '111122223333', Region: 'us-east-1' })),
  ];
  assert.equal(ok.length + refused.length, 12);
  assert.deepEqual(
    ok.map((a) => a.name),
    ['GetRole', 'ListRoles', 'DeleteRole', 'GetCallerIdentity'],
  );
});
