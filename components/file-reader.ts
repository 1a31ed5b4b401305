/**
 * FileReader — CloverDX's FlatFileReader / UniversalDataReader (and JSON/chunk readers): reads
 * files in one of several formats into records of the output edge's metadata.
 */
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import { defineComponent, type ComponentContext, type ConfigProblem } from '../engine/component/define-component.ts';
import type { ConfigOf } from '../engine/component/config-spec.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import type { RecordType } from '../engine/metadata/record-type.ts';
import { valueToText } from '../engine/metadata/value-text.ts';
import type { OutputPort } from '../engine/runtime/ports.ts';
import { resolveCsvDialect } from './csv/csv-dialect.ts';
import { CHUNK_FIELDS, DEFAULT_CHUNK_SIZE, createChunkFormatReader } from './files/chunk-format-reader.ts';
import { createCsvFormatReader } from './files/csv-format-reader.ts';
import { isGzipName, readFileBytes } from './files/file-byte-source.ts';
import type { FormatReader } from './files/format-reader.ts';
import { resolveInputFiles } from './files/input-files.ts';
import { createJsonArrayFormatReader } from './files/json-array-format-reader.ts';
import { createJsonLinesFormatReader } from './files/json-lines-format-reader.ts';
import { JsonRecordBuilder } from './files/json-record-builder.ts';
import { createRawFormatReader } from './files/raw-format-reader.ts';
import { READER_ERROR_FIELDS, RecordEmitter } from './files/record-emitter.ts';
import { createTextFormatReader } from './files/text-format-reader.ts';
import { TextRecordBuilder } from './files/text-record-builder.ts';

const config = {
  file: {
    type: 'template',
    description:
      'What to read: a path, a glob (`data/*.csv`, `logs/**/*.jsonl`) or several separated by `;`. Relative paths resolve against the working directory. With an input edge it is a template evaluated per input record (`*{path}`), unless `fileField` is set.',
  },
  fileField: { type: 'string', description: 'With an input edge: the input field whose value is the file specification (path, glob or `;` list) to read for each input record.' },
  format: { type: 'string', enum: ['csv', 'jsonl', 'json', 'text', 'chunks', 'raw'], default: 'csv', description: 'Input format (see the description).' },
  metadata: { type: 'string', description: 'Name of the metadata of the records read (from `metadata:`); else the out edge\'s metadata is used.' },
  header: { type: 'boolean', default: true, description: 'csv: the first row names the columns, which map to fields by name; false maps columns to fields by position.' },
  delimiter: { type: 'string', default: ',', description: 'csv: text between fields (`\\t` for a tab).' },
  quote: { type: 'string', default: '"', description: 'csv: the quote character; `""` (empty) turns quoting off.' },
  skipRows: { type: 'integer', minimum: 0, default: 0, description: 'Records skipped at the start of each file (after the csv header).' },
  numRecords: { type: 'integer', minimum: 0, description: 'Read at most this many records in total, then stop.' },
  dataPolicy: {
    type: 'string',
    enum: ['strict', 'controlled', 'lenient'],
    default: 'strict',
    description: 'Bad records: strict fails the run; controlled sends them to the error port (or logs and skips them); lenient sets bad fields to null.',
  },
  field: {
    type: 'string',
    description:
      'text: the string field each line goes to (default `line`, else the first string field); raw: the bytes or string field for the content (default `data`); csv: a map field of strings that receives every column keyed by its header name, in column order (for files whose columns are not known in advance).',
  },
  chunkSize: { type: 'integer', minimum: 1, default: DEFAULT_CHUNK_SIZE, description: 'chunks: bytes per chunk (default 4 MiB).' },
  compression: {
    type: 'string',
    enum: ['auto', 'gzip', 'none'],
    default: 'auto',
    description: 'auto gunzips files whose name ends in `.gz` for the record formats (csv, jsonl, json, text) — chunks and raw read the bytes as they are; gzip always gunzips; none never.',
  },
} as const;

type FileReaderConfig = ConfigOf<typeof config>;

/**
 * Bytes handed to a parser at a time, so an edge's bound is overshot by at most this much input.
 * NOTE: after each slice the reader yields to the event loop (setImmediate), so the components
 * downstream consume its records while they are young. On test/bench/files-bench.ts (300 MB)
 * young-generation GC took 2.6 s with 64 KiB slices and yields, 4.0 s with microtask yields,
 * 12.8 s with 256 KiB slices; 16 KiB gained nothing more.
 */
const PARSE_SLICE = 64 * 1024;

export default defineComponent({
  type: 'FileReader',
  category: 'readers',
  summary: 'Reads CSV, JSON Lines, JSON arrays, text lines, binary chunks or whole files into records.',
  description: [
    'Formats: `csv` (RFC 4180: quoted fields, embedded line breaks and quotes, CRLF/LF, BOM stripped; an empty unquoted value is null, `""` is an empty string; empty lines are skipped),',
    '`jsonl` (one JSON object per line, members to fields by name), `json` (a top-level array of objects, streamed element by element),',
    '`text` (one record per line into one string field), `chunks` (fixed-size binary chunks: `file, index, offset, size, data, last`),',
    '`raw` (the whole file into one bytes or string field, and its path into `file` when the metadata has it).',
    'Text converts to each field\'s type with its `format`, `timeZone`, `scale`; long values beyond 2^53 and decimals stay exact; a field\'s `default` applies to null and missing values.',
    'Files ending in `.gz` are decompressed transparently for the record formats (not for chunks and raw, which read bytes as they are, unless `compression: gzip`). A missing file, a directory, an unreadable gzip stream fail the run with the file named, whatever the data policy.',
    '`recordNo` (errors and messages) is the 1-based number of the record in its file. `skipRows` applies per file, `numRecords` to the total.',
    'With `format: chunks` an empty file gives exactly one chunk (size 0, `last: true`) and a file of exactly N chunks gives N records, the last flagged — what a chunked upload needs.',
    'Chunk records are large: put a small `buffer` on the edge after a chunks reader (e.g. `buffer: 4`) to bound memory by bytes.',
  ].join(' '),
  inputs: { ports: [{ name: 'files', description: 'Optional: one file specification per record (from `fileField`, or the `file` template).' }] },
  outputs: {
    ports: [
      { name: 'out', description: 'Records read.', required: true },
      { name: 'error', description: 'Bad records under dataPolicy controlled: recordNo, fieldName, originalData, errorMessage, source.' },
    ],
  },
  stopsEarly: true,
  config,
  outputMetadata(config, port): MetadataInput | undefined {
    if (port === 1) return { name: 'FileReaderError', fields: { ...READER_ERROR_FIELDS } };
    if (port !== 0) return undefined;
    if (config.metadata !== undefined) return config.metadata;
    if (config.format === 'chunks') return { name: 'FileChunk', fields: { ...CHUNK_FIELDS } };
    if (config.format === 'text') return { name: 'TextLine', fields: { line: 'string' } };
    if (config.format === 'raw') return { name: 'FileContent', fields: { file: 'string', data: 'bytes' } };
    return undefined;
  },
  examples: [
    {
      title: 'CSV with a header row, bad rows to the error port',
      yaml: ['read:', '  type: FileReader', '  file: ${GRAPH_DIR}/data/orders.csv', '  format: csv', '  metadata: Order', '  dataPolicy: controlled'].join('\n'),
    },
    { title: 'Every JSON Lines file of a directory', yaml: ['read:', '  type: FileReader', '  file: logs/*.jsonl.gz', '  format: jsonl'].join('\n') },
    { title: 'A file in 4 MiB chunks for a chunked upload', yaml: ['chunks:', '  type: FileReader', '  file: ${LOCAL_FILE}', '  format: chunks'].join('\n') },
  ],
  validate({ config, inputs, outputs }) {
    const problems: ConfigProblem[] = [];
    const problem = (path: string[], message: string) => problems.push({ path, code: 'TREFOIL_ERR_GRAPH_CONFIG', message });
    const input = inputs[0];
    if (input === undefined && config.file === undefined) problem([], 'set file, or connect an input edge whose records name the files');
    if (config.fileField !== undefined) {
      if (input === undefined) problem(['fileField'], 'fileField needs an input edge');
      else if (!input.has(config.fileField)) problem(['fileField'], `fileField ${config.fileField} is not a field of metadata ${input.name} (fields: ${input.fieldNames.join(', ')})`);
    } else if (input !== undefined && config.file === undefined) {
      problem([], 'with an input edge, set fileField (the field holding the file names) or a file template such as *{path}');
    }
    if (config.format === 'csv' && config.field !== undefined && outputs[0] !== undefined) {
      const target = outputs[0].field(config.field);
      if (target === undefined || target.container !== 'map' || target.type !== 'string') problem(['field'], `format csv puts all columns into field, which must be a map of strings (type: string, container: map) in metadata ${outputs[0].name}`);
      if (!config.header) problem(['field'], 'collecting columns by name needs header: true');
    }
    if (config.format === 'csv') {
      try {
        resolveCsvDialect({ delimiter: config.delimiter, quote: config.quote });
      } catch (error) {
        problem(['delimiter'], (error as Error).message);
      }
    }
    const out = outputs[0];
    if (out !== undefined) {
      if (config.format === 'text' && textField(config, out) === undefined) {
        problem(['field'], `format text needs a string field for the lines: ${config.field === undefined ? `metadata ${out.name} has none` : `${config.field} is not a string field of metadata ${out.name}`}`);
      }
      if (config.format === 'raw' && rawField(config, out) === undefined) {
        problem(['field'], `format raw needs a bytes or string field for the content: ${config.field === undefined ? `metadata ${out.name} has none` : `${config.field} is not a bytes or string field of metadata ${out.name}`}`);
      }
      if (config.format === 'chunks' && out.has('data') && out.field('data')!.type !== 'bytes') problem(['format'], `format chunks puts bytes into field data, which is ${out.field('data')!.type} in metadata ${out.name}`);
    }
    return problems;
  },
  async run(context) {
    const { config, inputs, outputs } = context;
    const output = outputs[0]!;
    const errorPort = outputs[1]?.connected ? outputs[1] : undefined;
    const emitter = new RecordEmitter({
      output,
      errorPort,
      policy: config.dataPolicy,
      log: context.log,
      skipRows: config.skipRows,
      numRecords: config.numRecords,
      errorRecord: context.errorRecord,
    });
    const openFormat = formatOpener(config, output, emitter);
    const input = inputs[0]!;
    if (!input.connected) {
      await readSpecification(context, config.file!, emitter, openFormat);
      return;
    }
    const template = config.fileField === undefined ? context.compileTemplate(config.file!, input.metadata) : undefined;
    for await (const batch of input) {
      for (const record of batch) {
        if (emitter.done) return;
        const specification = template !== undefined ? template.render(record, context.dictionary) : valueToText(record[config.fileField!]);
        await readSpecification(context, specification, emitter, openFormat);
      }
    }
  },
});

/** Reads every file a specification names, in order. */
async function readSpecification(
  context: ComponentContext<FileReaderConfig>,
  specification: string,
  emitter: RecordEmitter,
  openFormat: () => FormatReader,
): Promise<void> {
  const { config, signal } = context;
  const output = context.outputs[0]!;
  const files = await resolveInputFiles(specification, context.resolvePath('.'));
  // NOTE: chunks and raw are byte formats: a `.gz` file is uploaded or copied as it is.
  const binary = config.format === 'chunks' || config.format === 'raw';
  const sliced = !binary;
  for (const file of files) {
    if (emitter.done) return;
    emitter.startFile(file);
    const reader = openFormat();
    const decompress = config.compression === 'gzip' || (config.compression === 'auto' && !binary && isGzipName(file));
    let stopped = false;
    for await (const chunk of readFileBytes(file, signal, decompress)) {
      output.counters.bytes += chunk.length;
      for (let start = 0; start < chunk.length; start += PARSE_SLICE) {
        reader.push(sliced && chunk.length > PARSE_SLICE ? chunk.subarray(start, start + PARSE_SLICE) : chunk);
        if (!emitter.room) await emitter.ready();
        else await new Promise<void>((resolve) => setImmediate(resolve));
        if (emitter.done) break;
        if (!sliced) break;
      }
      if (emitter.done) {
        stopped = true;
        break;
      }
    }
    if (!stopped) reader.end();
    if (!emitter.room) await emitter.ready();
  }
}

/** A factory of per-file format readers, with the per-run parts (record builders) made once. */
function formatOpener(config: FileReaderConfig, output: OutputPort, emitter: RecordEmitter): () => FormatReader {
  const metadata = output.metadata;
  const lenient = config.dataPolicy === 'lenient';
  switch (config.format) {
    case 'csv': {
      const builder = new TextRecordBuilder(metadata, lenient);
      const options = { header: config.header, delimiter: config.delimiter, quote: config.quote, lenient, columnsField: config.field };
      return () => createCsvFormatReader(emitter, builder, metadata, options);
    }
    case 'jsonl': {
      const builder = new JsonRecordBuilder(metadata, lenient);
      return () => createJsonLinesFormatReader(emitter, builder);
    }
    case 'json': {
      const builder = new JsonRecordBuilder(metadata, lenient);
      return () => createJsonArrayFormatReader(emitter, builder);
    }
    case 'text': {
      const field = textField(config, metadata) ?? missingField('text', metadata);
      return () => createTextFormatReader(emitter, output, field);
    }
    case 'chunks':
      return () => createChunkFormatReader(emitter, output, config.chunkSize);
    case 'raw': {
      const field = rawField(config, metadata) ?? missingField('raw', metadata);
      return () => createRawFormatReader(emitter, output, field);
    }
  }
}

function textField(config: { field?: string }, metadata: RecordType): string | undefined {
  if (config.field !== undefined) return metadata.field(config.field)?.type === 'string' && metadata.field(config.field)?.container === undefined ? config.field : undefined;
  if (metadata.field('line')?.type === 'string') return 'line';
  return metadata.fields.find((field) => field.type === 'string' && field.container === undefined)?.name;
}

function rawField(config: { field?: string }, metadata: RecordType): string | undefined {
  const fits = (name: string): boolean => {
    const field = metadata.field(name);
    return field !== undefined && field.container === undefined && (field.type === 'bytes' || field.type === 'string');
  };
  if (config.field !== undefined) return fits(config.field) ? config.field : undefined;
  if (fits('data')) return 'data';
  return metadata.fields.find((field) => field.name !== 'file' && fits(field.name))?.name;
}

function missingField(format: string, metadata: RecordType): never {
  throw new TrefoilError('TREFOIL_ERR_GRAPH_CONFIG', `format ${format}: metadata ${metadata.name} has no field to read into`);
}
