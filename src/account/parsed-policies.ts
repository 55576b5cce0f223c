/**
 * The parsed policies of one account model: each stored document (identity,
 * trust, resource, SCP, RCP policy text) is parsed and compiled once per
 * model and kept while the model lives, in a cache of the model's own
 * (`derived`: made on first use, dropped with the Universe). Every answer
 * depends on the document's text alone, so two engines reading one model
 * agree; a reloaded model starts a new cache. A long-lived process that
 * parses policies of many models, or text from callers, uses its engine's
 * cache instead (engine/iamsim.ts `Iamsim.policies`, passed to `assemble`).
 */
import type { PolicyType } from '../policy/model.js';
import { PolicyTextCache } from '../policy/policy-cache.js';
import type { ParseResult } from '../policy/parse.js';
import { derived } from '../primitives/lazy.js';
import type { Universe } from './query.js';

/** Texts of one model kept parsed (the old generation holds every policy text of an account of a few thousand principals). */
const MODEL_TEXTS = 8192;
const MODEL_TEXTS_YOUNG = 32;

/** The model's parsed-policy cache, made on first use. */
export const modelPolicies: (u: Universe) => PolicyTextCache = derived(() => new PolicyTextCache(MODEL_TEXTS_YOUNG, MODEL_TEXTS));

/** Parses a document of the model `u` through the model's cache. */
export function parseModelPolicy(u: Universe, text: string, type: PolicyType, name: string, lenient: boolean, file?: string): ParseResult {
  return modelPolicies(u).parse(text, type, name, lenient, file);
}
