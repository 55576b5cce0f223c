/**
 * AWS Query protocol XML: structures as elements, lists as `<member>`
 * elements, maps as `<entry><key/><value/></entry>`, booleans and numbers as
 * text. Field order is the object's key order (built in AWS's member order).
 */
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Marks a record to be written as an XML map (`<entry><key/><value/></entry>`). */
export class XmlMap {
  constructor(readonly entries: Readonly<Record<string, unknown>>) {}
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === "'" ? '&apos;' : '&#13;',
  );
}

function write(out: string[], name: string, value: unknown, indent: string): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const v of value) write(out, 'member', v, `${indent}  `);
    out.push(`${indent}</${name}>`);
    return;
  }
  if (value instanceof XmlMap) {
    out.push(`${indent}<${name}>`);
    for (const [k, v] of Object.entries(value.entries)) {
      out.push(`${indent}  <entry>`, `${indent}    <key>${escapeXml(k)}</key>`);
      write(out, 'value', v, `${indent}    `);
      out.push(`${indent}  </entry>`);
    }
    out.push(`${indent}</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    out.push(`${indent}<${name}>`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) write(out, k, v, `${indent}  `);
    out.push(`${indent}</${name}>`);
    return;
  }
  out.push(`${indent}<${name}>${escapeXml(String(value))}</${name}>`);
}

/** `<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>`. */
export function queryResponse(action: string, result: Readonly<Record<string, unknown>> | undefined, requestId: string, xmlns = IAM_XMLNS): string {
  const out: string[] = [`<${action}Response xmlns="${xmlns}">`];
  if (result !== undefined) write(out, `${action}Result`, result, '  ');
  out.push('  <ResponseMetadata>', `    <RequestId>${requestId}</RequestId>`, '  </ResponseMetadata>', `</${action}Response>`);
  return `${out.join('\n')}\n`;
}
