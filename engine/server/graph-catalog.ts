/**
 * The graphs a server offers (CloverDX Server's sandbox view): every graph file under the
 * configured graph roots plus the graphs schedules and listeners run. For each: its id,
 * description, declared parameters (which are secure, their defaults masked), and whether it
 * is valid. The API lists them and may run only them.
 *
 * A graph is validated with placeholder values for what only a run supplies: declared
 * parameters without a default and the trigger parameters (EVENT_FILE_*, EVENT_SCHEDULE_*), so
 * a graph that needs a token or an event file is not reported invalid for lacking one.
 * Results are cached per file modification time.
 */
import { standInParameters } from '../params/stand-in-parameters.ts';
import { readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GraphValidationError, formatProblem } from '../loader/problems.ts';
import { readParameterDeclarations, type ParameterDeclaration } from '../params/parameter-declarations.ts';
import type { ParameterScalar } from '../params/parameter-types.ts';
import { REDACTED } from '../params/redactor.ts';
import { loadGraph } from '../run-graph.ts';

/** A declared graph parameter as the API shows it. */
export interface GraphParameterInfo {
  readonly name: string;
  readonly description?: string;
  readonly type?: string;
  /** The default; `*****` for a secure parameter. */
  readonly default?: ParameterScalar;
  readonly required: boolean;
  readonly secure: boolean;
}

export interface GraphInfo {
  /** Path relative to the project directory, `/`-separated: the graph's name in the API. */
  readonly path: string;
  /** Absolute path. */
  readonly file: string;
  /** The graph's `graph:` id. */
  readonly id: string | null;
  readonly description: string | null;
  readonly parameters: readonly GraphParameterInfo[];
  readonly valid: boolean;
  /** `FILE:LINE:COL CODE message` lines when invalid. */
  readonly problems: readonly string[];
}

export interface GraphCatalogOptions {
  /** PROJECT_DIR: graph paths in the API are relative to it. */
  readonly projectDir: string;
  /** Absolute directories scanned for graph files. */
  readonly roots: readonly string[];
  /** Absolute graph files listed wherever they are (the triggers' graphs). */
  readonly graphs?: readonly string[];
}

/** Values a run's trigger supplies, used only to validate. */
const TRIGGER_PLACEHOLDERS: Readonly<Record<string, string>> = {
  EVENT_FILE_PATH: '/placeholder/file',
  EVENT_FILE_NAME: 'file',
  EVENT_FILE_URLS: '/placeholder/file',
  EVENT_FILE_EVENT_TYPE: 'APPEARANCE',
  EVENT_FILE_LISTENER_ID: 'placeholder',
  EVENT_SCHEDULE_ID: 'placeholder',
  EVENT_SCHEDULE_TIME: '1970-01-01T00:00:00.000Z',
};

const GRAPH_FILE = /\.ya?ml$/i;
/** A graph file has a top-level `graph:` key; server configs, params and metadata files do not. */
const GRAPH_KEY = /^graph\s*:/m;

interface Declared {
  readonly stamp: string;
  readonly id: string | null;
  readonly description: string | null;
  readonly declarations: readonly ParameterDeclaration[];
}

export class GraphCatalog {
  readonly projectDir: string;
  readonly #roots: readonly string[];
  readonly #graphs: ReadonlySet<string>;
  readonly #declared = new Map<string, Declared>();
  readonly #validity = new Map<string, { stamp: string; result: Promise<readonly string[]> }>();

  constructor(options: GraphCatalogOptions) {
    this.projectDir = resolve(options.projectDir);
    this.#roots = options.roots.map((root) => resolve(root));
    this.#graphs = new Set((options.graphs ?? []).map((file) => resolve(file)));
  }

  /** The graph's name in the API: relative to the project when inside it, else absolute. */
  pathOf(file: string): string {
    const inside = relative(this.projectDir, file);
    return inside.startsWith('..') || isAbsolute(inside) ? file : inside.split(sep).join('/');
  }

  /**
   * The absolute file of a graph the API may use (a path relative to the project, or absolute),
   * or undefined when it is not one of the catalog's graphs or does not exist.
   */
  resolveGraph(requested: string): string | undefined {
    if (requested === '' || requested.includes('\0')) return undefined;
    const file = resolve(this.projectDir, requested);
    const listed = this.#graphs.has(file) || (GRAPH_FILE.test(file) && this.#roots.some((root) => file.startsWith(root + sep)));
    if (!listed) return undefined;
    try {
      return statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every graph: the roots' graph files and the triggers' graphs, sorted by path. */
  async list(): Promise<GraphInfo[]> {
    const files = new Set(this.#graphs);
    for (const root of this.#roots) for (const file of await graphFilesUnder(root)) files.add(file);
    const infos = await Promise.all([...files].map((file) => this.describe(file)));
    return infos.filter((info): info is GraphInfo => info !== undefined).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** One graph's description, or undefined when the file is missing or not a graph file. */
  async describe(file: string): Promise<GraphInfo | undefined> {
    const declared = this.#read(file);
    if (declared === undefined) return undefined;
    const problems = await this.#validate(file, declared);
    return {
      path: this.pathOf(file),
      file,
      id: declared.id,
      description: declared.description,
      parameters: declared.declarations.map(describeParameter),
      valid: problems.length === 0,
      problems,
    };
  }

  /** Names of the graph's secure parameters (masked in run history); [] when unreadable. */
  secureParameterNames(file: string): string[] {
    return (this.#read(file)?.declarations ?? []).filter((declaration) => declaration.secure).map((declaration) => declaration.name);
  }

  /** Declarations from the file's `parameters:` (cheap: no components are loaded). */
  #read(file: string): Declared | undefined {
    let stamp: string;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) return undefined;
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return undefined;
    }
    const cached = this.#declared.get(file);
    if (cached?.stamp === stamp) return cached;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    if (!GRAPH_KEY.test(text)) return undefined;
    let document: Record<string, unknown> = {};
    try {
      const parsed: unknown = parseYaml(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) document = parsed as Record<string, unknown>;
    } catch {
      // Invalid YAML: listed, and validation reports the problem with its position.
    }
    const declared: Declared = {
      stamp,
      id: typeof document.graph === 'string' ? document.graph : null,
      description: typeof document.description === 'string' ? document.description : null,
      declarations: [...readParameterDeclarations(document.parameters).declarations.values()],
    };
    this.#declared.set(file, declared);
    return declared;
  }

  #validate(file: string, declared: Declared): Promise<readonly string[]> {
    const cached = this.#validity.get(file);
    if (cached?.stamp === declared.stamp) return cached.result;
    const parameters: Record<string, ParameterScalar> = { ...TRIGGER_PLACEHOLDERS, ...standInParameters(declared.declarations) };
    const result = loadGraph(file, { parameters, projectDir: this.projectDir }).then(
      () => [],
      (error: unknown) => (error instanceof GraphValidationError ? error.problems.map(formatProblem) : [`${file}:1:1 ${(error as Error)?.message ?? String(error)}`]),
    );
    this.#validity.set(file, { stamp: declared.stamp, result });
    return result;
  }
}

function describeParameter(declaration: ParameterDeclaration): GraphParameterInfo {
  return {
    name: declaration.name,
    ...(declaration.description === undefined ? {} : { description: declaration.description }),
    ...(declaration.type === undefined ? {} : { type: declaration.type }),
    ...(declaration.default === undefined ? {} : { default: declaration.secure ? REDACTED : declaration.default }),
    required: declaration.required,
    secure: declaration.secure,
  };
}

/** Graph-like files under a directory (dot-directories and node_modules skipped); [] when it does not exist. */
async function graphFilesUnder(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (directory: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && GRAPH_FILE.test(entry.name)) files.push(path);
    }
  };
  await walk(root);
  return files;
}

