/**
 * JSONExtract — CloverDX's JSONExtract: streams JSON documents (files, or documents held by
 * input records) through a tree of RFC 9535 JSONPath selects and writes one record per match,
 * when the match closes, children's records before their parent's.
 */
import type { ComponentContext, ConfigProblem } from '../engine/component/define-component.ts';
import { defineComponent } from '../engine/component/define-component.ts';
import type { ConfigOf } from '../engine/component/config-spec.ts';
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import type { DataRecord } from '../engine/metadata/record-type.ts';
import { valueToText } from '../engine/metadata/value-text.ts';
import { isGzipName, readFileBytes, reusedBufferChunks } from './files/file-byte-source.ts';
import { resolveInputFiles } from './files/input-files.ts';
import { READER_ERROR_FIELDS } from './files/record-emitter.ts';
import { planMapping, mappingSchema, type MappingConfig } from './json/extract-mapping.ts';
import { compileExtraction, type CompiledExtraction } from './json/extraction-plan.ts';
import { MatchEmitter, type MappingRun } from './json/match-emitter.ts';
import { describeStreaming } from './json/streaming-behaviour.ts';
import { StreamingJsonExtractor } from './json/streaming-extractor.ts';

const config = {
  file: {
    type: 'string',
    description:
      'The JSON file(s) to read without an input edge: a path, a glob (`data/*.json`) or several separated by `;`, relative to the working directory (`${GRAPH_DIR}/…` for files next to the graph). `.gz` files are decompressed.',
  },
  sourceField: {
    type: 'string',
    description: 'With an input edge: the string or bytes field of each input record that holds a JSON document (or, with `sourceIs: path`, the path of one).',
  },
  sourceIs: {
    type: 'string',
    enum: ['content', 'path'],
    default: 'content',
    description: '`content`: `sourceField` holds the document itself; `path`: it holds a file path, glob or `;` list (relative to the working directory).',
  },
  inputFields: {
    type: 'boolean',
    default: false,
    description: 'With an input edge: copy the input record\'s fields onto every output record with a field of the same name (a page number, a local path). Members of the match and `fields` override them.',
  },
  mapping: {
    type: 'any',
    required: true,
    description: 'The selects: a list of `{ select, port, fields, parentKey, sequenceField, children }` (see the description).',
    schema: mappingSchema(),
  },
  dataPolicy: {
    type: 'string',
    enum: ['strict', 'controlled', 'lenient'],
    default: 'strict',
    description: 'A match whose values do not fit its port\'s metadata: strict fails the run; controlled sends it to `errorPort` (or logs and skips it); lenient sets the bad field to null.',
  },
  errorPort: {
    type: 'integer',
    minimum: 0,
    description: 'The output port that receives bad matches under `dataPolicy: controlled` (`recordNo, fieldName, originalData, errorMessage, source`, plus same-named input fields). Must not be a mapping\'s port.',
  },
  compression: {
    type: 'string',
    enum: ['auto', 'gzip', 'none'],
    default: 'auto',
    description: 'Files: auto gunzips names ending in `.gz`; gzip always; none never.',
  },
} as const;

type JsonExtractConfig = ConfigOf<typeof config>;

/**
 * Bytes handed to the extractor at a time. The extractor calls back synchronously for every
 * match in a slice, so an edge overshoots its bound by at most one slice's records before the
 * read loop waits for room. NOTE: after each slice the loop yields to the event loop so the
 * components downstream take the records while they are young (as FileReader does, where it cut
 * young-generation GC); on test/bench/json-bench.ts GC is small either way (200 MB: ~125
 * scavenges, ~0.4 s, against ~140 without the yield).
 */
const EXTRACT_SLICE = 64 * 1024;

export default defineComponent({
  type: 'JSONExtract',
  category: 'readers',
  summary: 'Streams JSON documents through RFC 9535 JSONPath selects: one record per match, children before parents.',
  description: [
    'Reads JSON documents — `file` (path, glob or `;` list; `.gz` decompressed), or with an input edge the document (string or bytes) in each record\'s `sourceField`, or the file it names with `sourceIs: path` —',
    'in 64 KiB slices with a streaming RFC 8259 parser (UTF-8 only, exact numbers), and evaluates the `mapping` selects while the bytes go by.',
    '\n\n**mapping.** Each entry has a `select` (RFC 9535 JSONPath from the document root; in `children`, relative to the parent match, whose `$` is that match) and writes one record per match to its `port` (default 0), with the metadata of that port\'s edge.',
    'Fields: `fields: { out: $.relative.path }` reads a path relative to the match (`$` is the match itself: into a variant, map, list or string field; a member with special characters is `$[\'.tag\']`;',
    'a path that selects several nodes, such as `$.tags[*]`, fills a list or variant field with all of them); every other field takes the matched object\'s member of the same name;',
    '`parentKey: { childField: parentField }` copies from the parent mapping\'s record (at the top level: from the input record); `sequenceField` receives the match\'s 1-based position among its siblings',
    '(for a top-level select: among its matches in the document). With `inputFields: true` the input record\'s same-named fields are copied onto every record first (members, `fields`, `parentKey` override them).',
    '\n\n**Order.** A record is written when its match closes; a `children` mapping\'s records come before their parent\'s (as in CloverDX). The records of one select follow RFC 9535 nodelist order, duplicates included',
    '(`$[1,0]` writes element 1 first; `$[0,0]` writes element 0 twice). Different top-level selects are independent: each writes as soon as its own order allows.',
    '\n\n**Memory** is bounded by the largest match, not the document, for selects that stream: names, wildcards, indices ≥ 0, forward slices with non-negative bounds, and a filter on the last segment (`$.orders[*]`, `$.data.items[?@.qty > 1]`).',
    'Other selects hold more: a descendant segment (`$..id`) holds matches until the object around them closes (RFC 9535 puts an object\'s own members before anything inside it);',
    'a filter before the last segment (`$[?@.ok].items[*]`) holds each node it tests; a negative index or slice bound (`$[-1]`, `$[-3:]`) holds the array elements it may still choose;',
    '`$` inside a filter, and a top-level `select: $`, hold the whole document. `children` are evaluated on their parent\'s match, which is in memory anyway.',
    '\n\n**Values.** Conversion uses the field types: strings convert like text (ISO-8601 or the field\'s `format` for dates), numbers keep their exact digits for `long` (beyond 2^53) and `decimal`,',
    'a JSON number into a string field is its digits (`1.50` is `1.5`; numbers of more than 15 digits keep every digit), objects and arrays into a string field are JSON text, into variant/map/list fields values.',
    'A missing member or `null` leaves the field null (or its default).',
    '\n\n**Bad data.** Invalid JSON, invalid UTF-8 or a truncated document fail the run whatever the policy, with the source and byte offset (records of the document before the error have been written).',
    'A match that does not fit its metadata follows `dataPolicy`: strict fails with the source, select, byte offset and field; controlled sends it to `errorPort` (`recordNo` = 1-based number of the match in its document, `originalData` = the match as JSON text), or logs and skips it when no error port is set;',
    'lenient sets the bad field to null (a non-nullable field left null skips the record with a warning).',
    '\n\nDiffers from CloverDX: selects are JSONPath (RFC 9535), not XPath over a JSON-to-XML view; the error port is chosen with `errorPort`.',
  ].join(' '),
  inputs: { ports: [{ name: 'documents', description: 'Optional: records holding a JSON document (or a path to one) in `sourceField`.' }] },
  outputs: {
    ports: [{ name: 'out0', description: 'Records of the mappings with port 0 (the default).' }],
    more: { description: 'Records of the mappings with that port; or the error port (`errorPort`).' },
  },
  stopsEarly: true,
  config,
  outputMetadata(config, port): MetadataInput | undefined {
    return port === config.errorPort ? { name: 'JSONExtractError', fields: { ...READER_ERROR_FIELDS } } : undefined;
  },
  examples: [
    {
      title: 'Orders with their items (children, parentKey, sequenceField)',
      yaml: [
        'extract:',
        '  type: JSONExtract',
        '  file: ${GRAPH_DIR}/data/orders.json',
        '  mapping:',
        '    - select: $.orders[*]',
        '      port: 0',
        '      fields: { customer: $.customer.name }',
        '      children:',
        '        - select: $.items[*]',
        '          port: 1',
        '          parentKey: { orderId: id }',
        '          sequenceField: line',
      ].join('\n'),
    },
    {
      title: 'A Dropbox list_folder page from an HTTPConnector response',
      yaml: [
        'entries:',
        '  type: JSONExtract',
        '  sourceField: content',
        '  inputFields: true',
        '  mapping:',
        '    - select: $.entries[*]',
        '      port: 0',
        "      fields: { tag: \"$['.tag']\" }",
        '    - select: $',
        '      port: 1',
      ].join('\n'),
    },
  ],
  validate({ config, inputs, outputs }) {
    const problems: ConfigProblem[] = [];
    const problem = (path: (string | number)[], message: string): void => void problems.push({ path, code: 'TREFOIL_ERR_GRAPH_CONFIG', message });
    const input = inputs[0];
    if (input === undefined) {
      if (config.file === undefined) problem([], 'set file (the JSON file to read), or connect an input edge and set sourceField');
      if (config.sourceField !== undefined) problem(['sourceField'], 'sourceField needs an input edge');
      if (config.inputFields) problem(['inputFields'], 'inputFields copies fields of input records, and no input edge is connected');
    } else {
      if (config.file !== undefined) problem(['file'], 'with an input edge the documents come from sourceField; remove file (or use sourceIs: path to read the files the records name)');
      if (config.sourceField === undefined) problem([], `with an input edge, set sourceField: the field of ${input.name} holding each JSON document${config.sourceIs === 'path' ? ' path' : ''}`);
      else {
        const field = input.field(config.sourceField);
        if (field === undefined) problem(['sourceField'], `sourceField ${config.sourceField} is not a field of metadata ${input.name} (fields: ${input.fieldNames.join(', ')})`);
        else if (field.container !== undefined || (field.type !== 'string' && (field.type !== 'bytes' || config.sourceIs === 'path'))) {
          problem(['sourceField'], `sourceField ${config.sourceField} is a ${field.container ? `${field.container} of ` : ''}${field.type} field; it must be a string${config.sourceIs === 'path' ? '' : ' or bytes'} field`);
        }
      }
    }
    if (config.errorPort !== undefined && config.dataPolicy !== 'controlled' && outputs[config.errorPort] !== undefined) {
      problem(['errorPort'], `errorPort receives bad matches only under dataPolicy: controlled (it is ${config.dataPolicy})`);
    }
    const planned = planMapping(config.mapping as readonly MappingConfig[], { outputs, input, errorPort: config.errorPort });
    return [...problems, ...planned.problems];
  },
  async run(context) {
    const { config, inputs, outputs } = context;
    const input = inputs[0]!;
    const inputMetadata = input.connected ? input.metadata : undefined;
    const { plans } = planMapping(config.mapping as readonly MappingConfig[], {
      outputs: outputs.map((port) => (port.connected ? port.metadata : undefined)),
      input: inputMetadata,
      errorPort: config.errorPort,
    });
    for (const plan of plans) {
      const behaviour = describeStreaming(plan.query);
      if (!behaviour.streams) context.log.info({ select: plan.select, holds: behaviour.holds }, `select ${plan.select} is not bounded by its largest match: ${behaviour.explanation}`);
    }
    const errorPort = config.errorPort === undefined ? undefined : outputs[config.errorPort];
    const emitter = new MatchEmitter({
      plans,
      outputs,
      errorPort: errorPort?.connected ? errorPort : undefined,
      policy: config.dataPolicy,
      inputMetadata,
      inputFields: config.inputFields,
      log: context.log,
      errorRecord: context.errorRecord,
    });
    const documents = new DocumentExtraction(context, emitter, compileExtraction(emitter.selects));

    if (!input.connected) {
      await documents.readFiles(config.file!, null);
      return;
    }
    const sourceField = config.sourceField!;
    let recordNo = 0;
    for await (const batch of input) {
      for (const record of batch) {
        recordNo++;
        if (emitter.done) return;
        const value = record[sourceField];
        if (config.sourceIs === 'path') await documents.readFiles(valueToText(value), record);
        else await documents.read(`input record ${recordNo} (${sourceField})`, contentChunks(value), record);
      }
    }
  },
});

/** Feeds documents through the extractor, a slice at a time, waiting for room between slices. */
class DocumentExtraction {
  readonly #context: ComponentContext<JsonExtractConfig>;
  readonly #emitter: MatchEmitter;
  readonly #extraction: CompiledExtraction<MappingRun>;
  /** Where read bytes are counted for tracking: the first mapping's port. */
  readonly #counters: { bytes: number };

  constructor(context: ComponentContext<JsonExtractConfig>, emitter: MatchEmitter, extraction: CompiledExtraction<MappingRun>) {
    this.#context = context;
    this.#emitter = emitter;
    this.#extraction = extraction;
    this.#counters = extraction.selects[0]!.tag.output.counters;
  }

  /** Reads every file a specification names, in order. */
  async readFiles(specification: string, inputRecord: DataRecord | null): Promise<void> {
    const { config, signal } = this.#context;
    const files = await resolveInputFiles(specification, this.#context.resolvePath('.'));
    for (const file of files) {
      if (this.#emitter.done) return;
      const decompress = config.compression === 'gzip' || (config.compression === 'auto' && isGzipName(file));
      await this.read(file, decompress ? readFileBytes(file, signal, true) : reusedBufferChunks(file, signal), inputRecord);
    }
  }

  /** Extracts one document. Returns early when no reader wants more records. */
  async read(source: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, inputRecord: DataRecord | null): Promise<void> {
    const emitter = this.#emitter;
    const signal = this.#context.signal;
    const extractor = new StreamingJsonExtractor(this.#extraction, emitter.onMatch, { source });
    emitter.startDocument(source, inputRecord, () => extractor.offset);
    for await (const chunk of chunks) {
      this.#counters.bytes += chunk.length;
      for (let start = 0; start < chunk.length; start += EXTRACT_SLICE) {
        signal.throwIfAborted();
        extractor.write(chunk.length > EXTRACT_SLICE ? chunk.subarray(start, start + EXTRACT_SLICE) : chunk);
        if (!emitter.room) await emitter.ready();
        else await yieldToEventLoop();
        if (emitter.done) return;
      }
    }
    extractor.end();
    if (!emitter.room) await emitter.ready();
  }
}

/** Lets the components downstream run (see EXTRACT_SLICE). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The bytes of a document held in a field: a string (as UTF-8) or bytes; null is an empty document. */
function contentChunks(value: unknown): Uint8Array[] {
  if (value === null || value === undefined) return [];
  if (value instanceof Uint8Array) return [value];
  return [Buffer.from(typeof value === 'string' ? value : valueToText(value), 'utf8')];
}
