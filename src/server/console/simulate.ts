/**
 * Simulate and lint for the console's editors: the request is iamsim
 * simulate's input (AWS's SimulateCustomPolicy shape with iamsim's layer
 * extensions), policies given as text; the answer is the same response the
 * CLI prints, whose MatchedStatements carry positions inside each policy text.
 */
import { lintPolicies } from '../../analyze/lint.js';
import type { Finding } from '../../analyze/finding.js';
import { POLICY_TYPES, type PolicyType } from '../../policy/model.js';
import { parsePolicy } from '../../policy/parse.js';
import { typedContextKeysOf } from '../../simulate/context-keys.js';
import { readSimulateInputValue, resourcePolicyType } from '../../simulate/input.js';
import { runSimulation } from '../../simulate/run.js';
import { ApiError, objectBody, ok, type ApiInput, type ApiReply } from './types.js';

const MAX_DOCUMENTS = 64;

export function simulate({ body }: ApiInput): ApiReply {
  const o = objectBody(body);
  const lenient = o['lenient'] === true;
  const read = readSimulateInputValue(o['request'], { lenient, allowFileReferences: false, citePolicies: true });
  if (read.request === undefined) {
    const errors = read.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const message = first ? `${first.file !== undefined ? `${first.file}: ` : ''}${first.message}` : 'the request cannot be simulated';
    throw new ApiError(400, read.errorCode ?? 'InvalidInput', message, read.diagnostics);
  }
  return ok({ response: runSimulation(read.request, { explain: true }), diagnostics: read.diagnostics });
}

interface LintDocument {
  readonly name: string;
  readonly type: PolicyType;
  readonly text: string;
}

function readDocuments(value: unknown): LintDocument[] {
  if (!Array.isArray(value)) throw new ApiError(400, 'InvalidInput', 'documents must be a list of {"name","type","text"}');
  if (value.length > MAX_DOCUMENTS) throw new ApiError(400, 'InvalidInput', `at most ${MAX_DOCUMENTS} documents per request`);
  return value.map((d, i) => {
    const o = (d ?? {}) as Record<string, unknown>;
    const { name, type, text } = o;
    if (typeof name !== 'string' || typeof text !== 'string') throw new ApiError(400, 'InvalidInput', `documents[${i}] needs a string name and text`);
    if (typeof type !== 'string' || !(POLICY_TYPES as readonly string[]).includes(type)) {
      throw new ApiError(400, 'InvalidInput', `documents[${i}].type must be one of ${POLICY_TYPES.join(', ')}`);
    }
    return { name, type: type as PolicyType, text };
  });
}

/**
 * The findings `iamsim lint` reports for the documents, linted together as
 * one principal's policies (cross-policy checks included), grouped by document name.
 * With `resourceArns`, a `resource` document is read as simulate reads a
 * request's ResourcePolicy (a trust policy when every resource is a role).
 */
export function lint({ body }: ApiInput): ApiReply {
  const o = objectBody(body);
  const arns = o['resourceArns'];
  const resourceType = Array.isArray(arns) && arns.every((a) => typeof a === 'string') ? resourcePolicyType(arns as string[]) : 'resource';
  const docs = readDocuments(o['documents'])
    .filter((d) => d.text.trim() !== '')
    .map((d) => (d.type === 'resource' ? { ...d, type: resourceType } : d));
  const findings = lintPolicies(docs, { lenient: o['lenient'] === true });
  const byDocument: Record<string, Finding[]> = {};
  for (const d of docs) byDocument[d.name] = [];
  for (const f of findings) {
    byDocument[f.file ?? ''] ??= [];
    byDocument[f.file ?? '']!.push(f);
  }
  return ok({ findings: byDocument });
}

/**
 * `{"documents":[{"name","type","text"}],"lenient"?}` → `{"keys":[{name,type,typeFrom}]}`:
 * the condition keys the policies reference (GetContextKeysForCustomPolicy;
 * the page sends a principal's policies for GetContextKeysForPrincipalPolicy),
 * each with the ContextKeyType to give it. A document that cannot be read
 * is left out (lint reports it in its editor).
 */
export function contextKeys({ body }: ApiInput): ApiReply {
  const o = objectBody(body);
  const lenient = o['lenient'] === true;
  const policies = readDocuments(o['documents'])
    .filter((d) => d.text.trim() !== '')
    .flatMap((d) => parsePolicy(d.text, { type: d.type, name: d.name, lenient }).policy ?? []);
  return ok({ keys: typedContextKeysOf(policies) });
}
