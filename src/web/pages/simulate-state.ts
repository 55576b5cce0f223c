/** The Simulate page's state and the SimulateCustomPolicy request built from it. */
import { CONTEXT_KEY_TYPES } from '../../eval/request.js';

export interface ContextRow {
  key: string;
  type: string;
  /** One value per line (or comma-separated). */
  values: string;
}

export interface SimState {
  identity: string[];
  boundary: string;
  session: string[];
  resource: string;
  endpoint: string;
  /** One SCP per organization level, root first. */
  scp: string[];
  rcp: string[];
  caller: string;
  actions: string[];
  resources: string[];
  resourceOwner: string;
  context: ContextRow[];
  lenient: boolean;
  callerIsManagementAccount: boolean;
  resourceOwnerIsManagementAccount: boolean;
  callerIsServiceLinkedRole: boolean;
  /** The principal whose policies were loaded (user, group or role ARN), '' when typed by hand. */
  principal: string;
  /** Editor titles from the principal's policies, by slot id (identity.0 …). */
  names: Record<string, string>;
  /** Slot ids switched off: kept in the page, left out of the request. */
  off: string[];
  /** The organization level of each SCP editor (several SCPs may sit on one level); default: its index. */
  scpLevel: number[];
}

/** The condition value types a context entry may have: the evaluator's own list. */
export const CONTEXT_TYPES = CONTEXT_KEY_TYPES;

export function emptyState(): SimState {
  return {
    identity: [''],
    boundary: '',
    session: [],
    resource: '',
    endpoint: '',
    scp: [],
    rcp: [],
    caller: '',
    actions: [''],
    resources: [''],
    resourceOwner: '',
    context: [],
    lenient: true,
    callerIsManagementAccount: false,
    resourceOwnerIsManagementAccount: false,
    callerIsServiceLinkedRole: false,
    principal: '',
    names: {},
    off: [],
    scpLevel: [],
  };
}

/** Fills missing fields of a stored or linked state (older versions, hand-edited links). */
export function normalize(s: Partial<SimState> | undefined): SimState {
  const base = emptyState();
  if (s === undefined || s === null || typeof s !== 'object') return base;
  const strs = (v: unknown, d: string[]): string[] => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : d);
  const str = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
  return {
    identity: strs(s.identity, base.identity),
    boundary: str(s.boundary, ''),
    session: strs(s.session, []),
    resource: str(s.resource, ''),
    endpoint: str(s.endpoint, ''),
    scp: strs(s.scp, []),
    rcp: strs(s.rcp, []),
    caller: str(s.caller, ''),
    actions: strs(s.actions, base.actions),
    resources: strs(s.resources, base.resources),
    resourceOwner: str(s.resourceOwner, ''),
    context: Array.isArray(s.context)
      ? s.context.filter((r) => r && typeof r.key === 'string').map((r) => ({ key: r.key, type: str(r.type, 'string'), values: str(r.values, '') }))
      : [],
    lenient: s.lenient !== false,
    callerIsManagementAccount: s.callerIsManagementAccount === true,
    resourceOwnerIsManagementAccount: s.resourceOwnerIsManagementAccount === true,
    callerIsServiceLinkedRole: s.callerIsServiceLinkedRole === true,
    principal: str(s.principal, ''),
    names:
      s.names && typeof s.names === 'object' && !Array.isArray(s.names)
        ? Object.fromEntries(Object.entries(s.names).filter(([, v]) => typeof v === 'string'))
        : {},
    off: strs(s.off, []),
    scpLevel: Array.isArray(s.scpLevel) && s.scpLevel.every((n) => Number.isInteger(n) && n >= 0) ? s.scpLevel : [],
  };
}

/** Removes editor `index` of a layer, shifting the titles and switches of the editors after it. */
export function removeSlot(s: SimState, layer: Slot['layer'], list: string[], index: number): void {
  list.splice(index, 1);
  if (layer === 'scp') s.scpLevel.splice(index, 1);
  const shift = (id: string): string | undefined => {
    const [l, i] = id.split('.');
    if (l !== layer) return id;
    const n = Number(i);
    return n === index ? undefined : `${l}.${n > index ? n - 1 : n}`;
  };
  s.names = Object.fromEntries(Object.entries(s.names).flatMap(([k, v]) => (shift(k) !== undefined ? [[shift(k), v]] : [])));
  s.off = s.off.flatMap((k) => shift(k) ?? []);
}

/** An editor slot: which state field, which index, and the policy type it is linted as. */
export interface Slot {
  readonly id: string;
  readonly layer: 'identity' | 'boundary' | 'session' | 'resource' | 'endpoint' | 'scp' | 'rcp';
  readonly index: number;
}

const filled = (t: string): boolean => t.trim() !== '';

export interface BuiltRequest {
  readonly request: Record<string, unknown>;
  /** SourcePolicyId in the response → the editor slot that holds it. */
  readonly slots: ReadonlyMap<string, string>;
}

/** The request iamsim simulate reads; empty editors and rows are left out. */
export function buildRequest(s: SimState): BuiltRequest {
  const slots = new Map<string, string>();
  const on = (layer: string, i: number): boolean => !s.off.includes(`${layer}.${i}`);
  const list = (texts: string[], field: string, layer: string): string[] => {
    const out: string[] = [];
    texts.forEach((t, i) => {
      if (!filled(t) || !on(layer, i)) return;
      out.push(t);
      slots.set(`${field}.${out.length}`, `${layer}.${i}`);
    });
    return out;
  };
  /** One level per distinct level number, in order; an editor's level is its index unless a principal's path said otherwise. */
  const levels = (texts: string[], field: string, layer: string, levelOf: (i: number) => number): string[][] => {
    const byLevel = new Map<number, { text: string; i: number }[]>();
    texts.forEach((t, i) => {
      if (!filled(t) || !on(layer, i)) return;
      const l = levelOf(i);
      (byLevel.get(l) ?? byLevel.set(l, []).get(l)!).push({ text: t, i });
    });
    return [...byLevel.keys()]
      .sort((a, b) => a - b)
      .map((l, n) =>
        byLevel.get(l)!.map((x, k) => {
          slots.set(`${field}.${n + 1}.${k + 1}`, `${layer}.${x.i}`);
          return x.text;
        }),
      );
  };
  const request: Record<string, unknown> = {
    PolicyInputList: list(s.identity, 'PolicyInputList', 'identity'),
    ActionNames: s.actions.map((a) => a.trim()).filter((a) => a !== ''),
  };
  const boundary = list([s.boundary], 'PermissionsBoundaryPolicyInputList', 'boundary');
  if (boundary.length > 0) request['PermissionsBoundaryPolicyInputList'] = boundary;
  const session = list(s.session, 'SessionPolicyInputList', 'session');
  if (session.length > 0) request['SessionPolicyInputList'] = session;
  if (filled(s.resource) && on('resource', 0)) {
    request['ResourcePolicy'] = s.resource;
    slots.set('ResourcePolicy', 'resource.0');
  }
  if (filled(s.endpoint) && on('endpoint', 0)) {
    request['VpcEndpointPolicy'] = s.endpoint;
    slots.set('VpcEndpointPolicy', 'endpoint.0');
  }
  const scp = levels(s.scp, 'ServiceControlPolicyInputList', 'scp', (i) => s.scpLevel[i] ?? i);
  if (scp.length > 0) request['ServiceControlPolicyInputList'] = scp;
  const rcp = levels(s.rcp, 'ResourceControlPolicyInputList', 'rcp', (i) => i);
  if (rcp.length > 0) request['ResourceControlPolicyInputList'] = rcp;
  const resources = s.resources.map((r) => r.trim()).filter((r) => r !== '');
  if (resources.length > 0) request['ResourceArns'] = resources;
  if (s.caller.trim() !== '') request['CallerArn'] = s.caller.trim();
  if (s.resourceOwner.trim() !== '') request['ResourceOwner'] = s.resourceOwner.trim();
  const context = s.context
    .filter((r) => r.key.trim() !== '')
    .map((r) => ({
      ContextKeyName: r.key.trim(),
      ContextKeyValues: r.values
        .split(/\n|,/)
        .map((v) => v.trim())
        .filter((v) => v !== ''),
      ContextKeyType: r.type,
    }));
  if (context.length > 0) request['ContextEntries'] = context;
  if (s.callerIsManagementAccount) request['CallerIsManagementAccount'] = true;
  if (s.resourceOwnerIsManagementAccount) request['ResourceOwnerIsManagementAccount'] = true;
  if (s.callerIsServiceLinkedRole) request['CallerIsServiceLinkedRole'] = true;
  return { request, slots };
}

/** A state from one of iamsim's example requests (AWS's field names). */
export function fromRequest(req: Record<string, unknown>): SimState {
  const s = emptyState();
  const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v, null, 2));
  const texts = (v: unknown): string[] => (Array.isArray(v) ? v.map(text) : []);
  const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  s.identity = texts(req['PolicyInputList']);
  if (s.identity.length === 0) s.identity = [''];
  s.boundary = texts(req['PermissionsBoundaryPolicyInputList'])[0] ?? '';
  s.session = texts(req['SessionPolicyInputList']);
  s.resource = text(req['ResourcePolicy']);
  s.endpoint = text(req['VpcEndpointPolicy']);
  const levels = (v: unknown): string[] => (Array.isArray(v) ? v.map((l) => (Array.isArray(l) ? text(l[0]) : text(l))) : []);
  // Every SCP of every level, each editor remembering its level.
  const scpLevels: unknown[] = Array.isArray(req['ServiceControlPolicyInputList']) ? req['ServiceControlPolicyInputList'] : [];
  scpLevels.forEach((l, n) => {
    for (const doc of Array.isArray(l) ? l : [l]) {
      s.scp.push(text(doc));
      s.scpLevel.push(n);
    }
  });
  s.rcp = levels(req['ResourceControlPolicyInputList']);
  s.caller = text(req['CallerArn']);
  s.actions = strs(req['ActionNames']);
  s.resources = strs(req['ResourceArns']);
  if (s.resources.length === 0) s.resources = [''];
  s.resourceOwner = text(req['ResourceOwner']);
  const ctx = Array.isArray(req['ContextEntries']) ? (req['ContextEntries'] as Record<string, unknown>[]) : [];
  s.context = ctx.map((c) => ({ key: text(c['ContextKeyName']), type: text(c['ContextKeyType']) || 'string', values: strs(c['ContextKeyValues']).join('\n') }));
  s.callerIsManagementAccount = req['CallerIsManagementAccount'] === true;
  s.resourceOwnerIsManagementAccount = req['ResourceOwnerIsManagementAccount'] === true;
  s.callerIsServiceLinkedRole = req['CallerIsServiceLinkedRole'] === true;
  return s;
}
