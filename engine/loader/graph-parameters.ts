/**
 * The loader's use of the parameter modules (engine/params): resolve a graph's parameters from
 * every source in SPEC §4 order, then substitute `${NAME}` everywhere but in the `parameters:`
 * section itself (whose defaults the resolution already expanded).
 */
import { masterPasswordFromEnvironment } from '../params/secure-value.ts';
import { readParamsFile } from '../params/params-file.ts';
import { resolveParameters } from '../params/resolve-parameters.ts';
import { substituteParameters } from '../params/substitute.ts';
import type { ParameterScalar, ParamsProblem } from '../params/parameter-types.ts';
import type { ParameterPlan } from '../model/graph-plan.ts';

/** Where a run's parameter values come from (library options and CLI flags). */
export interface ParameterSources {
  /** `-P NAME=VALUE` / library `parameters`: highest precedence. */
  parameters?: Readonly<Record<string, ParameterScalar>>;
  /** `--params FILE` paths, in order (later wins). */
  params?: readonly string[];
  /** Environment for the lowest-precedence fallback; default process.env. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Default: TREFOIL_MASTER_PASSWORD. */
  masterPassword?: string;
}

export interface GraphParameters {
  readonly values: ReadonlyMap<string, ParameterPlan>;
  readonly secrets: ReadonlySet<string>;
  readonly problems: readonly ParamsProblem[];
  /** The document with `${NAME}` substituted outside `parameters:`. */
  readonly document: Record<string, unknown>;
}

export function resolveGraphParameters(
  document: Record<string, unknown>,
  sources: ParameterSources,
  builtIns: Readonly<Record<string, string>>,
): GraphParameters {
  const environment = sources.environment ?? process.env;
  const masterPassword = sources.masterPassword ?? masterPasswordFromEnvironment(environment);
  const paramsFiles = (sources.params ?? []).map((file) => readParamsFile(file, { masterPassword }));
  const resolution = resolveParameters(document.parameters, {
    ...(sources.parameters ? { parameters: sources.parameters } : {}),
    paramsFiles,
    builtIns,
    environment,
    masterPassword,
  });
  const problems: ParamsProblem[] = [...paramsFiles.flatMap((file) => file.problems), ...resolution.problems];
  const { parameters: declared, ...rest } = document;
  const substituted = substituteParameters(rest, resolution.lookup);
  problems.push(...substituted.problems);
  const secrets = new Set([...resolution.secrets, ...substituted.secretsUsed]);

  const values = new Map<string, ParameterPlan>();
  for (const [name, resolved] of resolution.values) {
    const description = resolution.declarations.get(name)?.description;
    values.set(name, { name, value: resolved.value, secure: resolved.secure, ...(description !== undefined ? { description } : {}) });
  }
  return {
    values,
    secrets,
    problems,
    document: { ...(declared !== undefined ? { parameters: declared } : {}), ...(substituted.tree as Record<string, unknown>) },
  };
}
