/**
 * The workload spec of `iamsim generate execution-role`: which SageMaker APIs
 * the role is passed to and which S3, ECR, VPC and KMS resources the jobs use.
 * Format: docs/generate.md. Validation reports every problem with its line
 * and column; nothing is thrown.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { kmsKeyArn, parseEcrImage, parseS3Uri, partitionForRegion, type ArnScope, type EcrRepository, type S3Location } from './arn.js';
import { ACCOUNT_RE, REGION_RE, SourceDoc } from './source.js';

/**
 * The SageMaker APIs that take an execution role, and what the role does for
 * each (seed 003, "SageMaker Roles": one section per API).
 */
export interface ApiProfile {
  /** SageMaker resource type the caller creates. */
  readonly resourceType: string;
  /** s3:ListBucket on the input buckets. */
  readonly listInputs: boolean;
  /** s3:PutObject on the outputs. */
  readonly writeOutputs: boolean;
  /** s3:DeleteObject on the outputs (notebook instances). */
  readonly deleteOutputs: boolean;
  /** Elastic network interfaces in the customer's VPC. */
  readonly vpcEni: boolean;
  /** Input (Decrypt), output (Encrypt) and volume (CreateGrant) keys apply. */
  readonly kms: boolean;
  /** logs:GetLogEvents (the notebook reads its logs). */
  readonly readLogs: boolean;
}

const JOB: ApiProfile = { resourceType: '', listInputs: true, writeOutputs: true, deleteOutputs: false, vpcEni: true, kms: true, readLogs: false };

export const EXECUTION_APIS: Readonly<Record<string, ApiProfile>> = {
  CreateTrainingJob: { ...JOB, resourceType: 'training-job' },
  CreateHyperParameterTuningJob: { ...JOB, resourceType: 'hyper-parameter-tuning-job' },
  CreateProcessingJob: { ...JOB, resourceType: 'processing-job' },
  // CreateModel: S3 read of the model data and ECR pull only; no listing, no output, no KMS keys.
  CreateModel: { resourceType: 'model', listInputs: false, writeOutputs: false, deleteOutputs: false, vpcEni: true, kms: false, readLogs: false },
  CreateNotebookInstance: {
    resourceType: 'notebook-instance',
    listInputs: true,
    writeOutputs: true,
    deleteOutputs: true,
    vpcEni: false,
    kms: true,
    readLogs: true,
  },
};

export interface ExecutionRoleSpec {
  readonly roleName: string;
  readonly rolePath: string;
  readonly scope: ArnScope;
  readonly apis: readonly string[];
  readonly inputs: readonly S3Location[];
  readonly outputs: readonly S3Location[];
  readonly repositories: readonly EcrRepository[];
  readonly vpc?: { readonly subnets: readonly string[]; readonly securityGroups: readonly string[] };
  readonly kms: { readonly input: readonly string[]; readonly output: readonly string[]; readonly volume: readonly string[] };
  readonly tags: Readonly<Record<string, string>>;
  /** Add an aws:SourceAccount condition to the trust policy. */
  readonly trustSourceAccount: boolean;
}

export interface SpecResult {
  readonly spec: ExecutionRoleSpec | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const TOP = ['roleName', 'rolePath', 'account', 'region', 'partition', 'apis', 's3', 'ecr', 'vpc', 'kms', 'tags', 'trust', 'description'];

/** Reads and validates a spec (YAML or JSON text). */
export function readExecutionRoleSpec(text: string, file?: string): SpecResult {
  const src = new SourceDoc(text, file);
  if (src.value === undefined) return { spec: undefined, diagnostics: src.diagnostics };
  const root = src.object(src.value, [], 'the spec to be an object');
  if (root === undefined) return { spec: undefined, diagnostics: src.diagnostics };
  src.unknownKeys(root, [], TOP);

  const roleName = required(src, root, 'roleName');
  if (roleName !== undefined && !/^[\w+=,.@-]{1,64}$/.test(roleName)) src.error(['roleName'], `not a valid IAM role name: ${JSON.stringify(roleName)}`);
  let rolePath = root['rolePath'] === undefined ? '/' : (src.string(root['rolePath'], ['rolePath']) ?? '/');
  if (!/^\/([\x21-\x7e]*\/)?$/.test(rolePath)) {
    src.error(['rolePath'], 'rolePath must start and end with "/"');
    rolePath = '/';
  }
  const account = required(src, root, 'account');
  if (account !== undefined && !ACCOUNT_RE.test(account)) src.error(['account'], 'account must be a 12-digit account ID (quote it in YAML)');
  const region = required(src, root, 'region');
  if (region !== undefined && !REGION_RE.test(region)) src.error(['region'], `not an AWS Region code: ${JSON.stringify(region)}`);
  const partition = root['partition'] === undefined ? partitionForRegion(region ?? '') : (src.string(root['partition'], ['partition']) ?? 'aws');
  const scope: ArnScope = { partition, region: region ?? 'us-east-1', account: account ?? '000000000000' };

  const apis = src.strings(root['apis'], ['apis']);
  if (root['apis'] === undefined) src.error([], 'missing required field "apis" (the SageMaker APIs the role is passed to)');
  else if (apis.length === 0) src.error(['apis'], 'apis must name at least one SageMaker API');
  apis.forEach((api, i) => {
    if (EXECUTION_APIS[api] === undefined)
      src.error(['apis', i], `unsupported API ${JSON.stringify(api)} (supported: ${Object.keys(EXECUTION_APIS).join(', ')})`);
  });
  const known = apis.filter((a) => EXECUTION_APIS[a] !== undefined);

  const s3 = root['s3'] === undefined ? {} : (src.object(root['s3'], ['s3']) ?? {});
  src.unknownKeys(s3, ['s3'], ['inputs', 'outputs']);
  const inputs = s3Locations(src, s3['inputs'], ['s3', 'inputs']);
  const outputs = s3Locations(src, s3['outputs'], ['s3', 'outputs']);

  const ecr = root['ecr'] === undefined ? {} : (src.object(root['ecr'], ['ecr']) ?? {});
  src.unknownKeys(ecr, ['ecr'], ['images']);
  const repositories: EcrRepository[] = [];
  src.strings(ecr['images'], ['ecr', 'images']).forEach((img, i) => {
    const r = parseEcrImage(img, scope);
    if (typeof r === 'string') src.error(['ecr', 'images', i], r);
    else repositories.push(r);
  });

  let vpc: ExecutionRoleSpec['vpc'];
  if (root['vpc'] !== undefined) {
    const v = src.object(root['vpc'], ['vpc']) ?? {};
    src.unknownKeys(v, ['vpc'], ['subnets', 'securityGroups']);
    const subnets = idList(src, v['subnets'], ['vpc', 'subnets'], /^subnet-[0-9a-f]{8,17}$/, 'subnet ID');
    const securityGroups = idList(src, v['securityGroups'], ['vpc', 'securityGroups'], /^sg-[0-9a-f]{8,17}$/, 'security group ID');
    vpc = { subnets, securityGroups };
  }

  const k = root['kms'] === undefined ? {} : (src.object(root['kms'], ['kms']) ?? {});
  src.unknownKeys(k, ['kms'], ['inputKeys', 'outputKeys', 'volumeKeys']);
  const kms = {
    input: keys(src, k['inputKeys'], 'inputKeys', scope),
    output: keys(src, k['outputKeys'], 'outputKeys', scope),
    volume: keys(src, k['volumeKeys'], 'volumeKeys', scope),
  };

  const tags: Record<string, string> = {};
  if (root['tags'] !== undefined) {
    const t = src.object(root['tags'], ['tags'], 'tags to be a map of tag key to value') ?? {};
    for (const [key, value] of Object.entries(t)) {
      const s = src.string(value, ['tags', key]);
      if (s !== undefined) tags[key] = s;
    }
  }
  const trust = root['trust'] === undefined ? {} : (src.object(root['trust'], ['trust']) ?? {});
  src.unknownKeys(trust, ['trust'], ['sourceAccount']);
  const trustSourceAccount = src.boolean(trust['sourceAccount'], ['trust', 'sourceAccount']) ?? false;

  warnUnused(src, known, outputs.length > 0, vpc !== undefined, kms.input.length + kms.output.length + kms.volume.length > 0);

  if (src.diagnostics.some((d) => d.severity === 'error') || roleName === undefined) {
    return { spec: undefined, diagnostics: src.diagnostics };
  }
  const spec: ExecutionRoleSpec = {
    roleName,
    rolePath,
    scope,
    apis: known,
    inputs,
    outputs,
    repositories,
    kms,
    tags,
    trustSourceAccount,
    ...(vpc !== undefined ? { vpc } : {}),
  };
  return { spec, diagnostics: src.diagnostics };
}

function required(src: SourceDoc, obj: Record<string, unknown>, key: string): string | undefined {
  if (obj[key] === undefined) {
    src.error([], `missing required field "${key}"`);
    return undefined;
  }
  return src.string(obj[key], [key]);
}

function s3Locations(src: SourceDoc, v: unknown, path: (string | number)[]): S3Location[] {
  const out: S3Location[] = [];
  src.strings(v, path).forEach((uri, i) => {
    const loc = parseS3Uri(uri);
    if (typeof loc === 'string') src.error([...path, i], loc);
    else out.push(loc);
  });
  return out;
}

function idList(src: SourceDoc, v: unknown, path: (string | number)[], re: RegExp, what: string): string[] {
  const list = src.strings(v, path);
  if (list.length === 0) src.error(path, `a VPC needs at least one ${what}`);
  list.forEach((id, i) => {
    if (!re.test(id)) src.error([...path, i], `not a ${what}: ${JSON.stringify(id)}`);
  });
  return list;
}

function keys(src: SourceDoc, v: unknown, name: string, scope: ArnScope): string[] {
  const out: string[] = [];
  src.strings(v, ['kms', name]).forEach((key, i) => {
    const arn = kmsKeyArn(key, scope);
    if (typeof arn === 'string') out.push(arn);
    else src.error(['kms', name, i], arn.error);
  });
  return out;
}

/** Spec entries that none of the listed APIs uses are reported, not silently granted. */
function warnUnused(src: SourceDoc, apis: readonly string[], outputs: boolean, vpc: boolean, kms: boolean): void {
  if (apis.length === 0) return;
  const profiles = apis.map((a) => EXECUTION_APIS[a] as ApiProfile);
  const names = apis.join(', ');
  if (outputs && !profiles.some((p) => p.writeOutputs))
    src.warning(['s3', 'outputs'], `no listed API writes outputs (${names}); s3.outputs is ignored`, 'SPEC_UNUSED');
  if (vpc && !profiles.some((p) => p.vpcEni)) src.warning(['vpc'], `no listed API creates network interfaces (${names}); vpc is ignored`, 'SPEC_UNUSED');
  if (kms && !profiles.some((p) => p.kms)) src.warning(['kms'], `no listed API uses KMS keys (${names}); kms is ignored`, 'SPEC_UNUSED');
}
