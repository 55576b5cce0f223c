/**
 * Where a position inside an imported policy document is in the file the user has. A document that is a verbatim
 * JSON slice of its file is shifted by its origin; a document written as YAML (an iamsim bundle, re-serialized as
 * JSON for the parser) is located by JSON path in the YAML file; anything else (a document embedded as a JSON
 * string) is placed at its origin. Used by lint --account, import's warnings and preflight's citations.
 */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { DocumentOrigin } from './model.js';
import { lineStarts } from '../policy/json-source.js';
import { yamlSource, type InputSource } from './import/source.js';

export interface FilePosition {
  readonly line: number;
  readonly column: number;
}

/** Reads and parses input files once per instance; `readFile` returns undefined for an unreadable file. */
export class OriginFiles {
  private readonly texts = new Map<string, { text: string; starts: number[] } | undefined>();
  private readonly yaml = new Map<string, InputSource | undefined>();

  constructor(private readonly readFile: ((file: string) => string | undefined) | undefined) {}

  private table(file: string): { text: string; starts: number[] } | undefined {
    if (!this.texts.has(file)) {
      const text = this.readFile?.(file);
      this.texts.set(file, text === undefined ? undefined : { text, starts: lineStarts(text) });
    }
    return this.texts.get(file);
  }

  /** Does the document's text stand verbatim at its origin in the file? */
  verbatim(origin: DocumentOrigin, documentText: string): boolean {
    const t = this.table(origin.file);
    const start = t?.starts[origin.line - 1];
    return t !== undefined && start !== undefined && t.text.startsWith(documentText, start + origin.column - 1);
  }

  private yamlOf(file: string): InputSource | undefined {
    if (!this.yaml.has(file)) {
      const text = this.table(file)?.text;
      this.yaml.set(file, text === undefined ? undefined : yamlSource(text, file).source);
    }
    return this.yaml.get(file);
  }

  /**
   * The position in the origin's file of the value at `path` in the document, whose own 1-based position in
   * the document's text is `inner`.
   */
  position(origin: DocumentOrigin, documentText: string, path: JsonPath, inner: FilePosition): FilePosition {
    if (origin.path !== undefined) {
      const p = this.yamlOf(origin.file)?.position([...origin.path, ...path]);
      if (p !== undefined) return { line: p.line, column: p.column };
    } else if (this.verbatim(origin, documentText)) {
      return { line: origin.line + inner.line - 1, column: inner.line === 1 ? origin.column + inner.column - 1 : inner.column };
    }
    return { line: origin.line, column: origin.column };
  }
}
