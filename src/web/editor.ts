/**
 * A policy editor: CodeMirror 6 with JSON syntax, lint findings pushed from
 * the server (squiggles and gutter markers at their exact positions),
 * completions of actions and condition keys from the server's catalog, and
 * highlighted statements (the ones that decided a simulation).
 */
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { json } from '@codemirror/lang-json';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, StateEffect, StateField, type Range } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, keymap } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import { catalogCompletions } from './catalog.js';

export interface LinePos {
  readonly line: number;
  readonly column: number;
}
export interface SpanLike {
  readonly start: LinePos;
  readonly end: LinePos;
}

export interface Finding {
  readonly findingType: 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';
  readonly issueCode: string;
  readonly message: string;
  readonly span: SpanLike;
}

export interface Highlight {
  readonly span: SpanLike;
  readonly effect: 'Allow' | 'Deny';
  readonly label: string;
}

const setHighlights = StateEffect.define<readonly Highlight[]>();

const highlightField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let next = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setHighlights)) next = buildHighlights(tr.state, e.value);
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function offsetOf(state: EditorState, p: LinePos): number {
  const lineNo = Math.min(Math.max(p.line, 1), state.doc.lines);
  const line = state.doc.line(lineNo);
  return Math.min(line.from + Math.max(p.column - 1, 0), line.to);
}

function buildHighlights(state: EditorState, hs: readonly Highlight[]): DecorationSet {
  const ranges: Range<Decoration>[] = [];
  for (const hl of hs) {
    const from = offsetOf(state, hl.span.start);
    const to = Math.max(from, offsetOf(state, hl.span.end));
    const cls = hl.effect === 'Deny' ? 'cm-decided-deny' : 'cm-decided-allow';
    for (let pos = from; pos <= to; ) {
      const line = state.doc.lineAt(pos);
      ranges.push(Decoration.line({ class: cls, attributes: { title: hl.label } }).range(line.from));
      pos = line.to + 1;
    }
  }
  return Decoration.set(ranges, true);
}

const style = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--code-key)' },
  { tag: tags.string, color: 'var(--code-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--code-literal)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--input-bg)', color: 'var(--fg)', fontSize: '13px', border: '1px solid var(--border)', borderRadius: '6px' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-content': { caretColor: 'var(--fg)', fontFamily: 'var(--mono)' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-fg)' },
  '.cm-completionDetail': { color: 'inherit', opacity: '0.8' },
  '.cm-scroller': { fontFamily: 'var(--mono)' },
});

/** Brace depth of `text` after `from`, ignoring braces inside strings. */
function depthAfter(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return depth;
}

/**
 * What the string being typed at the cursor is: an action (a value of
 * Action/NotAction) or a condition key (a key two objects inside Condition).
 * Read from the text, so it works while the document is still incomplete.
 */
function completionKind(ctx: CompletionContext): { kind: 'action' | 'key'; from: number; prefix: string } | undefined {
  const before = ctx.state.sliceDoc(Math.max(0, ctx.pos - 20_000), ctx.pos);
  const open = /"([^"\\\n]*)$/.exec(before);
  if (open === null) return undefined;
  const prefix = open[1] ?? '';
  const from = ctx.pos - prefix.length;
  const head = before.slice(0, open.index);
  if (/"(?:Not)?Action"\s*:\s*(?:\[\s*(?:"[^"]*"\s*,\s*)*)?$/.test(head)) return { kind: 'action', from, prefix };
  const cond = head.lastIndexOf('"Condition"');
  if (cond >= 0 && /[{,]\s*$/.test(head) && depthAfter(head, cond) === 2) return { kind: 'key', from, prefix };
  return undefined;
}

async function policyCompletions(ctx: CompletionContext): Promise<CompletionResult | null> {
  const k = completionKind(ctx);
  if (k === undefined) return null;
  if (!ctx.explicit && k.prefix === '') return null;
  try {
    const items = await catalogCompletions(k.kind, k.prefix);
    return {
      from: k.from,
      options: items.map((i) => ({
        label: i.label,
        ...(i.detail !== undefined ? { detail: i.detail } : {}),
        type: k.kind === 'action' ? 'function' : 'property',
      })),
      validFor: /^[\w:*?/${}.-]*$/,
    };
  } catch {
    return null;
  }
}

export interface PolicyEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  setFindings(findings: readonly Finding[]): void;
  setHighlights(hs: readonly Highlight[]): void;
  /** Moves the cursor to a position and focuses the editor. */
  reveal(p: LinePos): void;
}

const SEVERITY: Record<Finding['findingType'], Diagnostic['severity']> = {
  ERROR: 'error',
  SECURITY_WARNING: 'warning',
  WARNING: 'warning',
  SUGGESTION: 'info',
};

export function createPolicyEditor(parent: HTMLElement, opts: { doc: string; label: string; onChange: () => void; onRun?: () => void }): PolicyEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.doc,
      extensions: [
        keymap.of(
          opts.onRun
            ? [
                {
                  key: 'Mod-Enter',
                  run: () => {
                    opts.onRun?.();
                    return true;
                  },
                },
              ]
            : [],
        ),
        basicSetup,
        json(),
        syntaxHighlighting(style),
        lintGutter(),
        autocompletion({ override: [policyCompletions] }),
        highlightField,
        theme,
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': opts.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) opts.onChange();
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setFindings(findings) {
      const diags: Diagnostic[] = findings.map((f) => {
        const from = offsetOf(view.state, f.span.start);
        const to = Math.max(from, offsetOf(view.state, f.span.end));
        return { from, to, severity: SEVERITY[f.findingType], source: f.issueCode, message: f.message };
      });
      view.dispatch(setDiagnostics(view.state, diags));
    },
    setHighlights(hs) {
      view.dispatch({ effects: setHighlights.of(hs) });
    },
    reveal(p) {
      const pos = offsetOf(view.state, p);
      view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
      view.focus();
    },
  };
}
