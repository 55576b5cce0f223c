/**
 * AWS Query protocol responses (IAM, STS) written from an operation's output
 * shape: `<ActionResponse xmlns=…><ActionResult>…</ActionResult>
 * <ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>`, members
 * in the model's order (whatever the object's key order), lists as
 * `<member>` elements (an empty list as `<Name/>`), maps as
 * `<entry><key/><value/></entry>`, timestamps in ISO 8601, booleans and
 * numbers as text. Members the shape does not name are not written, or, with
 * `strict`, refused (an Error naming the shape and the member).
 */
import { type Operation, type ServiceModel, shapeOf } from './model.js';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === "'" ? '&apos;' : '&#13;',
  );
}

/** ISO 8601 in UTC, whole seconds when the time has no fraction (`2026-01-02T03:04:05Z`, as IAM writes it). */
export function isoTimestamp(v: unknown): string {
  const d = v instanceof Date ? v : new Date(typeof v === 'number' ? v * 1000 : String(v));
  if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${String(v)}`);
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

function text(type: string, v: unknown): string {
  if (type === 'timestamp') return isoTimestamp(v);
  return escapeXml(String(v));
}

/** Serializer options: `strict` refuses a member the shape does not name instead of leaving it out. */
export interface WriteOptions {
  readonly strict?: boolean;
}

function write(model: ServiceModel, out: string[], name: string, shapeName: string, value: unknown, indent: string, o: WriteOptions): void {
  if (value === undefined || value === null) return;
  const shape = shapeOf(model, shapeName);
  const inner = `${indent}  `;
  switch (shape.type) {
    case 'structure': {
      const rec = value as Record<string, unknown>;
      const members = shape.members ?? {};
      if (o.strict === true) {
        const stray = Object.keys(rec).find((k) => !Object.hasOwn(members, k));
        if (stray !== undefined) throw new Error(`${model.metadata.serviceId} ${shapeName} has no member ${stray}`);
      }
      out.push(`${indent}<${name}>`);
      for (const [m, ref] of Object.entries(members)) {
        if (Object.hasOwn(rec, m)) write(model, out, ref.locationName ?? m, ref.shape, rec[m], inner, o);
      }
      out.push(`${indent}</${name}>`);
      return;
    }
    case 'list': {
      const list = value as readonly unknown[];
      const ref = shape.member!;
      if (shape.flattened) {
        for (const v of list) write(model, out, name, ref.shape, v, indent, o);
        return;
      }
      if (list.length === 0) {
        out.push(`${indent}<${name}/>`);
        return;
      }
      out.push(`${indent}<${name}>`);
      for (const v of list) write(model, out, ref.locationName ?? 'member', ref.shape, v, inner, o);
      out.push(`${indent}</${name}>`);
      return;
    }
    case 'map': {
      out.push(`${indent}<${name}>`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.push(`${inner}<entry>`, `${inner}  <${shape.key?.locationName ?? 'key'}>${escapeXml(k)}</${shape.key?.locationName ?? 'key'}>`);
        write(model, out, shape.value?.locationName ?? 'value', shape.value!.shape, v, `${inner}  `, o);
        out.push(`${inner}</entry>`);
      }
      out.push(`${indent}</${name}>`);
      return;
    }
    default:
      out.push(`${indent}<${name}>${text(shape.type, value)}</${name}>`);
  }
}

/** The whole response document of `op` with its output (undefined for operations without one). */
export function queryResponseXml(model: ServiceModel, op: Operation, output: unknown, requestId: string, o: WriteOptions = {}): string {
  const out: string[] = [`<${op.name}Response xmlns="${model.metadata.xmlNamespace}">`];
  if (op.output !== undefined) write(model, out, op.resultWrapper ?? `${op.name}Result`, op.output, output ?? {}, '  ', o);
  else if (o.strict === true && output !== undefined && Object.keys(output as object).length > 0)
    throw new Error(`${model.metadata.serviceId} ${op.name} has no output`);
  out.push('  <ResponseMetadata>', `    <RequestId>${escapeXml(requestId)}</RequestId>`, '  </ResponseMetadata>', `</${op.name}Response>`);
  return `${out.join('\n')}\n`;
}
