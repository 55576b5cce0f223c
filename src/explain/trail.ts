/**
 * A CloudTrail record of a denied call as a denial. The record is read by the
 * generator's reader (generate/cloudtrail-read.ts for the file shapes,
 * generate/cloudtrail.ts unwrapEnvelope for lookup-events and EventBridge,
 * generate/cloudtrail-map.ts mapEvent for the action and the resources), and
 * gives the request context it shows (AWS CloudTrail User Guide: CloudTrail
 * record contents, userIdentity element; IAM User Guide:
 * reference_policies_condition-keys for the keys):
 *  - aws:SourceIp from sourceIPAddress, or aws:VpcSourceIp and aws:SourceVpce
 *    for a call through a VPC endpoint (vpcEndpointId), where aws:SourceIp is
 *    not in the request;
 *  - aws:RequestedRegion from awsRegion;
 *  - aws:MultiFactorAuthPresent from sessionContext.attributes.mfaAuthenticated,
 *    aws:SourceIdentity from sessionContext.sourceIdentity, aws:userid from principalId;
 *  - aws:ViaAWSService when an AWS service made the call for the principal (invokedBy), kms:ViaService;
 *  - aws:SecureTransport when the record has tlsDetails;
 *  - aws:RequestTag/KEY and aws:TagKeys for the tags in the request parameters.
 * The errorMessage, when it holds AWS's message, gives the layer and kind.
 */
import { isIP } from 'node:net';
import { mapEvent } from '../generate/cloudtrail-map.js';
import { contextEntry } from './context.js';
import { BARE_NOTE, parseMessageLine } from './message.js';
import type { Ask, ContextEntry, Denial } from './types.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** errorCode values of denied calls (IAM User Guide: troubleshoot_access-denied; Amazon EC2 API: error codes). */
export const DENIED_CODES: ReadonlySet<string> = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation']);

export function isDeniedRecord(rec: Obj): boolean {
  const code = str(rec['errorCode']);
  return code !== undefined && DENIED_CODES.has(code);
}

/** Tags in request parameters: [{key,value}] / [{Key,Value}] lists under a tags-like key, or a tags map. */
function tagsIn(v: unknown, out: Map<string, string>, key = '', depth = 0): void {
  if (depth > 5) return;
  if (Array.isArray(v)) {
    for (const x of v.slice(0, 100)) {
      const o = obj(x);
      const k = str(o?.['key'] ?? o?.['Key']);
      const val = o?.['value'] ?? o?.['Value'];
      if (/^(tags|tagset|tag)$/i.test(key) && k !== undefined && typeof val === 'string') out.set(k, val);
      else tagsIn(x, out, key, depth + 1);
    }
    return;
  }
  const o = obj(v);
  if (o === undefined) return;
  for (const [k, x] of Object.entries(o)) {
    const m = obj(x);
    if (/^tags$/i.test(k) && m !== undefined && Object.values(m).every((y) => typeof y === 'string')) {
      for (const [tk, tv] of Object.entries(m)) out.set(tk, tv as string);
    } else tagsIn(x, out, k, depth + 1);
  }
}

function contextOf(
  rec: Obj,
  action: string | undefined,
  observed: Readonly<Record<string, string>>,
  passedTo: string | undefined,
): { context: ContextEntry[]; vpce?: string } {
  const out: ContextEntry[] = [];
  const put = (key: string, values: readonly string[]): void => {
    out.push(contextEntry(key, values, action));
  };
  const ui = obj(rec['userIdentity']);
  const session = obj(ui?.['sessionContext']);
  const vpce = str(rec['vpcEndpointId']);
  const ip = str(rec['sourceIPAddress']);
  if (ip !== undefined && isIP(ip) !== 0) put(vpce !== undefined ? 'aws:VpcSourceIp' : 'aws:SourceIp', [ip]);
  if (vpce !== undefined) put('aws:SourceVpce', [vpce]);
  const region = str(rec['awsRegion']);
  if (region !== undefined) put('aws:RequestedRegion', [region]);
  const mfa = str(obj(session?.['attributes'])?.['mfaAuthenticated']);
  if (mfa === 'true' || mfa === 'false') put('aws:MultiFactorAuthPresent', [mfa]);
  const sourceIdentity = str(session?.['sourceIdentity']);
  if (sourceIdentity !== undefined) put('aws:SourceIdentity', [sourceIdentity]);
  const principalId = str(ui?.['principalId']);
  if (principalId !== undefined) put('aws:userid', [principalId]);
  const invokedBy = str(ui?.['invokedBy']);
  if (invokedBy !== undefined && /\.amazonaws\.com$/.test(invokedBy)) put('aws:ViaAWSService', ['true']);
  if (obj(rec['tlsDetails']) !== undefined) put('aws:SecureTransport', ['true']);
  for (const [k, v] of Object.entries(observed)) put(k, [v]);
  // A role passed in another service's call is passed to that service (IAM User Guide: iam:PassedToService).
  if (action?.toLowerCase() === 'iam:passrole' && passedTo !== undefined && passedTo !== 'iam.amazonaws.com') put('iam:PassedToService', [passedTo]);
  const tags = new Map<string, string>();
  tagsIn(rec['requestParameters'], tags);
  for (const [k, v] of tags) put(`aws:RequestTag/${k}`, [v]);
  if (tags.size > 0) out.push({ key: 'aws:TagKeys', type: 'stringList', values: [...tags.keys()] });
  return { context: out, ...(vpce !== undefined ? { vpce } : {}) };
}

/** The denial a CloudTrail record shows (the caller checks isDeniedRecord first). */
export function denialOfRecord(rec: Obj, line: number): Denial {
  const code = str(rec['errorCode']) ?? 'AccessDenied';
  const errorMessage = str(rec['errorMessage']) ?? '';
  const fromMessage = errorMessage !== '' ? parseMessageLine(errorMessage, line) : undefined;
  const mapped = mapEvent(rec);
  const call = mapped.kind === 'call' ? mapped.call : undefined;
  const notes: string[] = [...(fromMessage?.notes.filter((n) => n !== BARE_NOTE) ?? [])];
  const asks: Ask[] = [];
  if (mapped.kind === 'unknown') notes.push(mapped.message);
  if (mapped.kind === 'skip') notes.push(`the event maps to no action: ${mapped.reason}`);
  const action = fromMessage?.action ?? call?.action;
  const named = call?.resources.filter((r) => r.resolved && r.arn !== '*') ?? [];
  const star = call?.resources.some((r) => r.arn === '*') ?? false;
  let resource = fromMessage?.resource ?? named[0]?.arn ?? (star ? '*' : undefined);
  if (resource === undefined && call !== undefined && call.resources.length > 0) {
    notes.push(`the event names no ${call.resources.map((r) => r.resourceType ?? 'resource').join(' or ')} of ${call.action}`);
    asks.push({ what: 'resource' });
  }
  if (fromMessage?.resource === undefined && named.length > 1) notes.push(`the event names ${named.length} resources; explained for ${named[0]?.arn}`);
  if (resource === '') resource = undefined;
  const { context, vpce } = contextOf(rec, action, call?.observed ?? {}, call?.passedTo);
  const principal = fromMessage?.principal ?? call?.principal;
  return {
    form: 'cloudtrail',
    line,
    text: errorMessage !== '' ? errorMessage : `${code} (${str(rec['eventSource']) ?? '?'} ${str(rec['eventName']) ?? '?'})`,
    ...(principal !== undefined ? { principal } : {}),
    ...(action !== undefined ? { action } : {}),
    ...(resource !== undefined ? { resource } : {}),
    ...(fromMessage?.layer !== undefined ? { layer: fromMessage.layer } : {}),
    ...(fromMessage?.kind !== undefined ? { kind: fromMessage.kind } : {}),
    ...(fromMessage?.policyArn !== undefined ? { policyArn: fromMessage.policyArn } : {}),
    errorCode: code,
    ...(str(rec['eventName']) ? { operation: str(rec['eventName']) as string } : {}),
    context,
    ...(vpce !== undefined ? { vpcEndpointId: vpce } : {}),
    notes,
    ...(asks.length > 0 ? { asks } : {}),
  };
}
