/**
 * Condition-key lookups for the rules, with the guards the rules need:
 * which keys an action's request can carry (the reference's condition-keys
 * columns for the action, its resource-type rows and those resource types).
 */
import { conditionKeysForAction, isTemplatedKey } from '../catalog/catalog.js';
import { templateRegExp } from '../catalog/condition-keys.js';

/**
 * Does the reference list `key` (or a template matching it) for the action?
 * Unlike the catalog's actionSupportsConditionKey, a global key counts only
 * when the action lists it (request-tag keys exist only for some actions).
 */
export function actionListsKey(action: string, key: string): boolean {
  const lower = key.toLowerCase();
  return conditionKeysForAction(action).some((k) => k.toLowerCase() === lower || (isTemplatedKey(k) && templateRegExp(k).test(key)));
}

/** Keys whose value comes from tags sent with the request (aws:RequestTag/…, aws:TagKeys, svc:RequestTag/…). */
export function isRequestTagKey(key: string): boolean {
  return /^[a-z0-9-]+:RequestTag\/./i.test(key) || /^aws:TagKeys$/i.test(key);
}

/** Tag keys of the request or of the resource (aws:RequestTag/k, aws:ResourceTag/k, ec2:ResourceTag/k, ...). */
export function isTagKey(key: string): boolean {
  return /^[a-z0-9-]+:(Request|Resource)Tag\/./i.test(key);
}

const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'ArnNotEquals',
  'ArnNotLike',
  'NotIpAddress',
]);

/** Negated operators match when the key is absent (reference_policies_elements_condition_operators). */
export function isNegated(baseOperator: string): boolean {
  return NEGATED.has(baseOperator);
}
