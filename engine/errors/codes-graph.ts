/** Codes for problems found while loading and validating a graph (exit status 2). */
import { defineCodes } from './define-codes.ts';

export const GRAPH_CODES = defineCodes({
  TREFOIL_ERR_GRAPH_FILE: {
    summary: 'The graph file cannot be read.',
    fix: 'Check the path (relative paths resolve against the working directory) and the file permissions.',
  },
  TREFOIL_ERR_GRAPH_YAML: {
    summary: 'The file is not valid YAML.',
    fix: 'Correct the YAML syntax at the reported position (indentation, quoting, a missing colon, a duplicate key).',
  },
  TREFOIL_ERR_GRAPH_SCHEMA: {
    summary: 'The graph file does not have the structure of a graph (SPEC §1).',
    fix: 'Use the keys graph, description, plugins, parameters, dictionary, metadata, components and edges as documented; point yaml-language-server at schemas/graph.schema.json for completion.',
  },
  TREFOIL_ERR_GRAPH_UNKNOWN_TYPE: {
    summary: 'A component has a type that is neither built in nor loaded from a module.',
    fix: 'Use a type listed by `trefoil components`, or name a module (`type: ./my-component.ts`) or list it under plugins:.',
  },
  TREFOIL_ERR_GRAPH_PLUGIN: {
    summary: 'A custom component module could not be loaded.',
    fix: 'Check the module path (relative to the graph file) and that it default-exports defineComponent({...}).',
  },
  TREFOIL_ERR_GRAPH_CONFIG: {
    summary: "A component's configuration does not match its type's schema.",
    fix: 'Correct the key or value named in the message; `trefoil components TYPE` lists every key with its type and default.',
  },
  TREFOIL_ERR_GRAPH_CODE: {
    summary: 'JavaScript code in the graph (transform, filter, generate, route) does not compile or uses unknown fields.',
    fix: "Fix the syntax error, or use field names of the edge's metadata in $in[N].name / $out[N].name.",
  },
  TREFOIL_ERR_GRAPH_TEMPLATE_FIELD: {
    summary: 'A template refers to a field the record does not have.',
    fix: "Use a field of the input edge's metadata in *{field}, or *{dict.NAME} for a dictionary entry.",
  },
  TREFOIL_ERR_GRAPH_METADATA: {
    summary: 'A metadata declaration is invalid (a type error, a bad default, an unknown time zone).',
    fix: 'Correct the field declaration: a type from string, integer, long, number, decimal, boolean, date, bytes, variant, and options that fit it.',
  },
  TREFOIL_ERR_GRAPH_METADATA_FILE: {
    summary: 'An external metadata file cannot be read.',
    fix: 'Check the file: path (relative to the graph file).',
  },
  TREFOIL_ERR_GRAPH_METADATA_UNKNOWN: {
    summary: 'An edge or component names metadata that is not declared.',
    fix: 'Declare it under metadata:, or fix the name.',
  },
  TREFOIL_ERR_GRAPH_METADATA_UNRESOLVED: {
    summary: 'No metadata could be determined for an edge.',
    fix: 'Add metadata: NAME to the edge; it propagates from producers that declare it and through pass-through components.',
  },
  TREFOIL_ERR_GRAPH_DICTIONARY: {
    summary: 'A dictionary declaration or a -D value is invalid.',
    fix: 'Declare the entry under dictionary: with a valid type, and pass -D values of that type.',
  },
  TREFOIL_ERR_GRAPH_EDGE_NODE: {
    summary: 'An edge names a component that does not exist.',
    fix: 'Use the id of a component declared under components:.',
  },
  TREFOIL_ERR_GRAPH_EDGE_PORT: {
    summary: 'An edge names a port the component does not have.',
    fix: 'Use a port index or name from `trefoil components TYPE`.',
  },
  TREFOIL_ERR_GRAPH_EDGE_NO_PORT: {
    summary: 'An edge goes into a component that takes no input (or out of one that has no output).',
    fix: 'Remove the edge or connect it to another component; readers have no input, writers no output.',
  },
  TREFOIL_ERR_GRAPH_EDGE_DUPLICATE: {
    summary: 'Two edges are connected to the same port.',
    fix: 'Connect each port to one edge; use SimpleCopy to feed several components, SimpleGather or Concatenate to merge.',
  },
  TREFOIL_ERR_GRAPH_PORT_REQUIRED: {
    summary: 'A port that needs an edge has none.',
    fix: 'Connect an edge to the named port.',
  },
  TREFOIL_ERR_GRAPH_EDGE_PHASE: {
    summary: 'An edge goes from a later phase into an earlier one.',
    fix: 'Records flow forward only: give the consumer the same or a later phase than the producer.',
  },
  TREFOIL_ERR_GRAPH_CYCLE: {
    summary: 'The edges form a cycle.',
    fix: 'Remove the edge that sends records back upstream; graphs are acyclic.',
  },
});
