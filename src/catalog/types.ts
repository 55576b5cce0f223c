/** Public shapes of the service catalog (AWS Service Authorization Reference). */

export interface ActionResourceType {
  /** Resource type key as the reference spells it, e.g. `endpoint-config`. */
  readonly name: string;
  /** Marked required (`*`) in the reference's resource-types column. */
  readonly required: boolean;
  readonly conditionKeys: readonly string[];
  readonly dependentActions: readonly string[];
}

export interface ActionInfo {
  /** Lower-case service prefix, e.g. `sagemaker`. */
  readonly service: string;
  /** Action name in canonical case, e.g. `CreateEndpoint` (no prefix). */
  readonly name: string;
  /** `List`, `Read`, `Write`, `Permissions management` or `Tagging`. */
  readonly accessLevel: string;
  /** Empty when the action supports only `"Resource": "*"`. */
  readonly resourceTypes: readonly ActionResourceType[];
  /** Condition keys the reference lists for the action itself. */
  readonly conditionKeys: readonly string[];
  readonly dependentActions: readonly string[];
}

export interface ResourceTypeInfo {
  readonly service: string;
  /** Canonical key, e.g. `endpoint-config`. */
  readonly key: string;
  /** E.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  readonly arnFormat: string;
  readonly conditionKeys: readonly string[];
}

export interface ConditionKeyInfo {
  /**
   * Canonical key; for a templated key this is the template, e.g. a lookup of
   * `aws:RequestTag/Project` yields `aws:RequestTag/${TagKey}`.
   */
  readonly key: string;
  /** As the data says: String, ArrayOfString, Numeric, Date, Bool, ARN, ArrayOfARN, IPAddress, ... */
  readonly type: string;
  readonly description?: string;
  /** A global condition key (available in every request context where it applies). */
  readonly global: boolean;
  /** The key contains a variable part (`${TagKey}`, `<key>`, ...). */
  readonly templated: boolean;
}
