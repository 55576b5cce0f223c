/**
 * What the evaluator remembers between decisions: each caller's ARN
 * classified (eval/principal.ts `classifyCaller`) and each action's name
 * lower-cased, plus a scratch buffer. The same few callers and actions recur
 * across requests, and classifying a caller costs about twice the rest of a
 * warm decision, so a long-lived process hands one memo to every `evaluate`
 * (`EvaluateOptions.memo`): the engine owns it (engine/iamsim.ts
 * `Iamsim.memo`), sized by its options. Without one, each decision computes
 * these afresh — same answers, slower.
 */
import { MemoCache } from '../primitives/memo-cache.js';
import { classifyCaller, type Caller } from './principal.js';

export interface EvalMemoSizes {
  /** Callers' ARNs kept classified (default 1,024). */
  readonly callers?: number;
  /** Action names kept lower-cased (default 4,096). */
  readonly actions?: number;
}

export const DEFAULT_EVAL_MEMO_SIZES: Required<EvalMemoSizes> = { callers: 1024, actions: 4096 };

export class EvalMemo {
  readonly callers: MemoCache<string, Caller>;
  readonly actions: MemoCache<string, string>;
  /**
   * Scratch buffer for resource-variable misses (eval/scan.ts). Evaluation is
   * synchronous and never re-entered, so one per memo suffices.
   */
  readonly scratch: string[] = [];

  constructor(sizes: EvalMemoSizes = {}) {
    const s = { ...DEFAULT_EVAL_MEMO_SIZES, ...sizes };
    this.callers = new MemoCache(s.callers);
    this.actions = new MemoCache(s.actions);
  }

  caller(id: string | undefined): Caller {
    if (id === undefined) return classifyCaller(undefined);
    let c = this.callers.get(id);
    if (c === undefined) {
      c = classifyCaller(id);
      this.callers.set(id, c);
    }
    return c;
  }

  lowerAction(action: string): string {
    let lower = this.actions.get(action);
    if (lower === undefined) {
      lower = action.toLowerCase();
      this.actions.set(action, lower);
    }
    return lower;
  }
}
