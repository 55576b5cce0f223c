/**
 * AWS Query protocol requests (IAM, STS): form parameters read into an
 * operation's input by its shape, as botocore's QuerySerializer writes them —
 * structure members by name (`RoleName=…`), lists as `Name.member.N` (or
 * `Name.N` when flattened; `Name=` alone is an empty list), maps as
 * `Name.entry.N.key` / `.value`, nested as `Tags.member.1.Key`.
 *
 * The parameters are read into a tree in one pass (linear in their total
 * length); the shape then takes what it names, so an unknown parameter is
 * ignored and nothing is allocated for an index that was not sent. A list
 * index must be a decimal integer from 1 to the number of members sent
 * (so a list is contiguous); anything else is a ValidationError.
 */
import { lowerFirst, ProtocolError } from './errors.js';
import { type Operation, type ServiceModel, type Shape, shapeOf } from './model.js';

interface Node {
  value?: string;
  children?: Map<string, Node>;
}

function child(node: Node, key: string): Node {
  node.children ??= new Map();
  let c = node.children.get(key);
  if (c === undefined) {
    c = {};
    node.children.set(key, c);
  }
  return c;
}

/** The parameters as a tree of their dotted names; the first value of a repeated name counts (as URLSearchParams.get). */
function tree(params: URLSearchParams): Node {
  const root: Node = {};
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split('.')) node = child(node, part);
    node.value ??= value;
  }
  return root;
}

function invalid(message: string): ProtocolError {
  return new ProtocolError(400, 'ValidationError', `1 validation error detected: ${message}`);
}

const INDEX = /^[1-9]\d{0,6}$/;

/** The members of a list node (children `1`…`N`), in order. */
function members(node: Node | undefined, path: string): Node[] {
  const kids = node?.children;
  if (kids === undefined) return [];
  const out: Node[] = new Array(kids.size);
  for (const [text, n] of kids) {
    const i = INDEX.test(text) ? Number(text) : Number.NaN;
    if (!(i <= kids.size)) {
      const why = Number.isNaN(i) ? `Member index must be from 1 to ${kids.size}` : 'list members must be numbered 1, 2, 3… without gaps';
      throw invalid(`Value '${text.slice(0, 20)}' at '${path}' failed to satisfy constraint: ${why}`);
    }
    out[i - 1] = n;
  }
  return out;
}

function scalar(shape: Shape, text: string, path: string): unknown {
  switch (shape.type) {
    case 'string':
    case 'blob':
      return text;
    case 'boolean':
      if (text === 'true' || text === 'false') return text === 'true';
      throw invalid(`Value '${text.slice(0, 64)}' at '${path}' failed to satisfy constraint: Member must be true or false`);
    case 'integer':
    case 'long': {
      const n = /^[+-]?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
      if (Number.isSafeInteger(n)) return n;
      throw invalid(`Value '${text.slice(0, 64)}' at '${path}' failed to satisfy constraint: Member must be an integer`);
    }
    case 'double':
    case 'float': {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      if (Number.isFinite(n)) return n;
      throw invalid(`Value '${text.slice(0, 64)}' at '${path}' failed to satisfy constraint: Member must be a number`);
    }
    case 'timestamp': {
      const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
      if (Number.isFinite(ms)) return new Date(ms).toISOString();
      throw invalid(`Value '${text.slice(0, 64)}' at '${path}' failed to satisfy constraint: Member must be a timestamp`);
    }
    default:
      return undefined;
  }
}

function read(model: ServiceModel, shapeName: string, node: Node, path: string): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const c = node.children?.get(ref.locationName ?? name);
        if (c === undefined) continue;
        const v = read(model, ref.shape, c, path === '' ? lowerFirst(name) : `${path}.${lowerFirst(name)}`);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      const ref = shape.member!;
      const holder = shape.flattened ? node : node.children?.get(ref.locationName ?? 'member');
      if (holder === undefined) return node.value === '' ? [] : undefined;
      return members(holder, `${path}.member`).map((n, i) => read(model, ref.shape, n, `${path}.${i + 1}.member`));
    }
    case 'map': {
      const holder = shape.flattened ? node : node.children?.get('entry');
      if (holder === undefined) return node.value === '' ? {} : undefined;
      const out: Record<string, unknown> = {};
      members(holder, `${path}.entry`).forEach((n, i) => {
        const k = n.children?.get(shape.key?.locationName ?? 'key')?.value;
        const v = n.children?.get(shape.value?.locationName ?? 'value');
        if (k === undefined || v === undefined)
          throw invalid(`Value null at '${path}.${i + 1}.entry' failed to satisfy constraint: Member must have a key and a value`);
        Object.defineProperty(out, k, { value: read(model, shape.value!.shape, v, `${path}.${k}`), enumerable: true, writable: true, configurable: true });
      });
      return out;
    }
    default:
      return node.value === undefined ? undefined : scalar(shape, node.value, path);
  }
}

/** The operation's input read from Query parameters (Action and Version are the caller's to check). */
export function parseQueryInput(model: ServiceModel, op: Operation, params: URLSearchParams): Record<string, unknown> {
  if (op.input === undefined) return {};
  return read(model, op.input, tree(params), '') as Record<string, unknown>;
}
