export type { Ask, AwsLayer, ContextEntry, Denial, DenialForm, DenialKind, DenialProblem, ReadDenials } from './types.js';
export { LAYER_PHRASE, layerOfPhrase, parseMessageLine, unwrap } from './message.js';
export { readDenials, type ReadOptions } from './read.js';
export { DENIED_CODES, denialOfRecord, isDeniedRecord } from './trail.js';
export { explainDenial, type ConditionReport, type Explained, type ExplainOptions, type StatementReport } from './explain.js';
export { patchOf, type ExplainPatch } from './patch.js';
export { explainedJson, explainedText, type ExplainedReport } from './render.js';
export { exitCodeOf, explainReports, type ExplainRun, type RunOptions } from './run.js';
