/**
 * A parsed YAML file that remembers where every node came from, so any problem found later
 * (schema, parameters, edges, metadata) can be reported as FILE:LINE:COL of the offending node.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ErrorCode } from '../errors/registry.ts';
import { Problems, type ProblemPath } from './problems.ts';

export class YamlSource {
  readonly file: string;
  readonly value: unknown;
  readonly #document: Document;
  readonly #lines: LineCounter;

  private constructor(file: string, document: Document, lines: LineCounter) {
    this.file = file;
    this.#document = document;
    this.#lines = lines;
    this.value = document.errors.length === 0 ? document.toJS({ maxAliasCount: 1000 }) : undefined;
  }

  /** Parses text; YAML syntax errors are added to `problems` (then `value` is undefined). */
  static parse(file: string, text: string, problems: Problems): YamlSource {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, intAsBigInt: false });
    const source = new YamlSource(file, document, lines);
    for (const error of document.errors) {
      const at = lines.linePos(error.pos[0]);
      problems.add({ file, line: at.line, column: at.col, code: 'TREFOIL_ERR_GRAPH_YAML', message: firstLine(error.message) });
    }
    return source;
  }

  static async read(file: string, problems: Problems, code: ErrorCode = 'TREFOIL_ERR_GRAPH_FILE'): Promise<YamlSource | null> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
      problems.add({ file, line: 1, column: 1, code, message: `cannot read ${file}: ${reason}` });
      return null;
    }
    return YamlSource.parse(file, text, problems);
  }

  /**
   * Line and column of the node at `path` (keys and indices). When the path goes deeper than
   * the document (a missing key), the nearest existing ancestor is used; `key: true` points
   * at a mapping key rather than its value.
   */
  locate(path: ProblemPath, options: { key?: boolean } = {}): { line: number; column: number } {
    let node: unknown = this.#document.contents;
    let position: number | undefined = rangeStart(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && scalarValue(item.key) === String(segment));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        node = pair.value;
        position = options.key && segment === path[path.length - 1] ? keyStart : (rangeStart(node) ?? keyStart);
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        node = item;
        position = rangeStart(node) ?? position;
      } else break;
    }
    const at = this.#lines.linePos(position ?? 0);
    return { line: at.line, column: at.col };
  }

  /** Adds a problem positioned at `path`. */
  report(problems: Problems, path: ProblemPath, code: ErrorCode, message: string, options: { key?: boolean } = {}): void {
    problems.add({ file: this.file, ...this.locate(path, options), code, message });
  }
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function scalarValue(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
