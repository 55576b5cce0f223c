/**
 * SimulateCustomPolicy request fields that are not policies or context (IAM API
 * reference, SimulateCustomPolicy / SimulatePrincipalPolicy): MaxItems and
 * Marker paginate EvaluationResults; ResourceHandlingOption names an EC2
 * scenario whose resources must all be given. Never accepted and ignored.
 */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import { type CodedMessage, said } from '../diagnostics/message.js';
import { parseArn } from '../primitives/arn.js';

/** AWS's default page size when MaxItems is not given. */
export const DEFAULT_MAX_ITEMS = 100;
const MAX_ITEMS_LIMIT = 1000;
const MARKER_PREFIX = 'iamsim-page:';

/** The Marker of the page that starts at `offset`. */
export function markerFor(offset: number): string {
  return Buffer.from(`${MARKER_PREFIX}${offset}`, 'utf8').toString('base64');
}

/** The offset a Marker stands for; undefined when it is not one iamsim issued. */
export function offsetOf(marker: string): number | undefined {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  if (!text.startsWith(MARKER_PREFIX)) return undefined;
  const n = Number(text.slice(MARKER_PREFIX.length));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * EC2 scenarios and the resource types each requires (SimulateCustomPolicy,
 * ResourceHandlingOption): instance, image and security group always; a
 * network interface for VPC; a subnet and/or a volume as the name says.
 */
const SCENARIOS: Readonly<Record<string, readonly string[]>> = {
  'EC2-VPC-InstanceStore': ['instance', 'image', 'security-group', 'network-interface'],
  'EC2-VPC-InstanceStore-Subnet': ['instance', 'image', 'security-group', 'network-interface', 'subnet'],
  'EC2-VPC-EBS': ['instance', 'image', 'security-group', 'network-interface', 'volume'],
  'EC2-VPC-EBS-Subnet': ['instance', 'image', 'security-group', 'network-interface', 'subnet', 'volume'],
};

export interface PagingOptions {
  readonly maxItems: number;
  /** Index of the first EvaluationResult of the page. */
  readonly offset: number;
  readonly resourceHandlingOption?: string;
}

type Report = (path: JsonPath, message: string, coded?: CodedMessage) => void;

function readMaxItems(v: unknown, report: Report): number {
  if (v === undefined || v === null) return DEFAULT_MAX_ITEMS;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_ITEMS_LIMIT) {
    report(['MaxItems'], ...said('{f:field} must be an integer from 1 to {max}', { field: 'MaxItems', max: MAX_ITEMS_LIMIT }));
    return DEFAULT_MAX_ITEMS;
  }
  return v;
}

function readMarker(v: unknown, report: Report): number {
  if (v === undefined || v === null) return 0;
  const offset = typeof v === 'string' ? offsetOf(v) : undefined;
  if (offset === undefined) {
    report(['Marker'], ...said('{f:field} must be the Marker value of a previous truncated response', { field: 'Marker' }));
    return 0;
  }
  return offset;
}

function resourceTypeOf(arn: string): string | undefined {
  const a = parseArn(arn);
  if (a === undefined || a.service !== 'ec2') return undefined;
  const slash = a.resource.indexOf('/');
  return slash < 0 ? a.resource : a.resource.slice(0, slash);
}

function checkScenario(v: unknown, resourceArns: readonly string[], report: Report): string | undefined {
  if (v === undefined || v === null) return undefined;
  const required = typeof v === 'string' ? SCENARIOS[v] : undefined;
  if (typeof v !== 'string' || required === undefined) {
    report(
      ['ResourceHandlingOption'],
      ...said('{f:field} must be one of {options} (or omitted)', { field: 'ResourceHandlingOption', options: Object.keys(SCENARIOS).join(', ') }),
    );
    return undefined;
  }
  const given = new Set(resourceArns.map(resourceTypeOf));
  const missing = required.filter((t) => !given.has(t));
  if (missing.length > 0) {
    report(
      ['ResourceArns'],
      ...said('{f:option} {value} needs {f:field} for every resource of the scenario; missing: {missing}', {
        option: 'ResourceHandlingOption',
        value: v,
        field: 'ResourceArns',
        missing: missing.join(', '),
      }),
    );
  }
  return v;
}

/** Reads MaxItems, Marker and ResourceHandlingOption of a request object. */
export function readPagingOptions(obj: Readonly<Record<string, unknown>>, resourceArns: readonly string[], report: Report): PagingOptions {
  const scenario = checkScenario(obj['ResourceHandlingOption'], resourceArns, report);
  return {
    maxItems: readMaxItems(obj['MaxItems'], report),
    offset: readMarker(obj['Marker'], report),
    ...(scenario !== undefined ? { resourceHandlingOption: scenario } : {}),
  };
}

/** One page of results and AWS's IsTruncated/Marker for it. */
export function page<T>(all: readonly T[], opts: PagingOptions): { items: T[]; isTruncated: boolean; marker?: string } {
  const end = opts.offset + opts.maxItems;
  const items = all.slice(opts.offset, end);
  return end < all.length ? { items, isTruncated: true, marker: markerFor(end) } : { items, isTruncated: false };
}
