/**
 * FileWriter — CloverDX's FlatFileWriter (and JSON/text writers): writes records to files in one
 * of several formats, atomically, optionally partitioned by key and split by record count.
 */
import type { MetadataInput } from '../engine/metadata/metadata-definition.ts';
import { defineComponent, type ConfigProblem } from '../engine/component/define-component.ts';
import type { ConfigOf } from '../engine/component/config-spec.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import type { DataRecord, RecordType } from '../engine/metadata/record-type.ts';
import { compileTemplate } from '../engine/runtime/template.ts';
import { resolveCsvDialect } from './csv/csv-dialect.ts';
import { AtomicFileTarget } from './files/atomic-file-target.ts';
import { createCsvRecordFormat } from './files/csv-record-format.ts';
import { createFieldRecordFormat } from './files/field-record-format.ts';
import { createJsonRecordFormat } from './files/json-record-format.ts';
import { hasNumberPlaceholder, hasPartitionPlaceholder, partitionKeyText, withFileNumber, withPartition } from './files/output-file-name.ts';
import { lineEndingOf, type RecordFormat } from './files/record-format.ts';

const config = {
  file: {
    type: 'template',
    required: true,
    description: 'Output file. `#` is replaced by the partition key value (with partitionKey), a run of `$` by the 0-based file number (with recordsPerFile; `$$` pads to two digits); `*{field}` takes a value from each record.',
  },
  format: { type: 'string', enum: ['csv', 'jsonl', 'json', 'text', 'raw'], default: 'csv', description: 'Output format (see the description).' },
  header: { type: 'boolean', default: true, description: 'csv: write a header row of the field names (not when appending to a file that has content).' },
  delimiter: { type: 'string', default: ',', description: 'csv: text between fields (`\\t` for a tab).' },
  quote: { type: 'string', default: '"', description: 'csv: the quote character; `""` (empty) turns quoting off (a value that would need quotes then fails the run).' },
  quoteAll: { type: 'boolean', default: false, description: 'csv: quote every non-null value, not only those holding the delimiter, a quote or a line break.' },
  lineEnding: { type: 'string', enum: ['lf', 'crlf', '\n', '\r\n'], default: 'lf', description: 'What ends each line (csv rows, jsonl objects, text lines).' },
  field: {
    type: 'string',
    description:
      'text / raw: the field whose value is written per record (default: the only field, else a field named `data`, `line` or `content`); jsonl / json: write this field\'s JSON value per record instead of an object of all fields (a map or variant field becomes the object itself).',
  },
  append: { type: 'boolean', default: false, description: 'Add to an existing file instead of replacing it; on failure the file is truncated back to its original length.' },
  makeDirs: { type: 'boolean', default: false, description: 'Create missing parent directories.' },
  partitionKey: {
    type: 'any',
    description: 'Field name (or list of names): records go to one file per distinct key value, named by replacing `#` in `file`.',
    schema: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
  },
  recordsPerFile: { type: 'integer', minimum: 1, description: 'Start a new file (`$` in `file` = its 0-based number) after this many records.' },
  compression: {
    type: 'string',
    enum: ['auto', 'gzip', 'none'],
    default: 'auto',
    description: 'auto compresses with gzip when the file name ends in `.gz`, except for format raw (bytes are written as they are); gzip always; none never.',
  },
} as const;

type FileWriterConfig = ConfigOf<typeof config>;

/** One output destination: its name (after `*{field}`), partition key, and current numbered file. */
interface FileGroup {
  /** The file name with `*{field}` rendered; `#` and `$` still in it. */
  readonly name: string;
  /** The partition key's text (replaces `#`), or undefined without partitionKey. */
  readonly key: string | undefined;
  fileNumber: number;
  target: AtomicFileTarget | null;
}

export default defineComponent({
  type: 'FileWriter',
  category: 'writers',
  summary: 'Writes records to CSV, JSON Lines, JSON, text or raw files, atomically; partitioning, splitting and gzip.',
  description: [
    'Output is atomic: each file is written to a hidden temporary file in the target directory (`.NAME.<random>.trefoil-part`) and renamed into place when the component succeeds;',
    'if the run fails or is interrupted first, no partial file is left and an existing file is unchanged. With `append` the records are added to the existing file itself and, on failure, the file is truncated back to its original length.',
    'Formats: `csv` (header row of the field names; quoting only where needed unless `quoteAll`; null is an empty field, `""` an empty string),',
    '`jsonl` (one object per line), `json` (one array), `text` (one field\'s text per line), `raw` (one field\'s bytes or text per record, nothing in between).',
    'Long and decimal values are exact digits (decimals with their scale), dates ISO-8601 UTC with milliseconds unless the field has a `format`, bytes base64; lists and maps are JSON text in csv.',
    'A writer that receives no records still creates its file (csv: with the header; json: `[]`), except when the name depends on record values (`#`, `*{field}`).',
    'The optional output gets one record per file written (`file` absolute path, `records`, `bytes` on disk) once the files are in place.',
    'Each partition keeps its file open until the end. Rows and objects are collected into blocks of about 1 MiB per write, and writes wait when the disk is slower (backpressure).',
  ].join(' '),
  inputs: { ports: [{ name: 'in', description: 'Records to write.', required: true }] },
  outputs: { ports: [{ name: 'files', description: 'One record per file written: file, records, bytes.' }] },
  config,
  outputMetadata(_config, port): MetadataInput | undefined {
    return port === 0 ? { name: 'FileWritten', fields: { file: 'string', records: 'long', bytes: 'long' } } : undefined;
  },
  examples: [
    { title: 'CSV with a header', yaml: ['write:', '  type: FileWriter', '  file: ${OUT_DIR}/orders.csv', '  format: csv', '  makeDirs: true'].join('\n') },
    { title: 'One gzipped JSON Lines file per country', yaml: ['write:', '  type: FileWriter', '  file: out/orders-#.jsonl.gz', '  format: jsonl', '  partitionKey: country'].join('\n') },
    { title: 'At most 10000 records per file', yaml: ['write:', '  type: FileWriter', '  file: out/part-$$.csv', '  recordsPerFile: 10000'].join('\n') },
  ],
  validate({ config, inputs }) {
    const problems: ConfigProblem[] = [];
    const problem = (path: string[], message: string) => problems.push({ path, code: 'TREFOIL_ERR_GRAPH_CONFIG', message });
    const input = inputs[0];
    const keys = keyFields(config.partitionKey);
    if (keys.length > 0 && !hasPartitionPlaceholder(config.file)) problem(['file'], 'with partitionKey the file name needs a # where the key value goes');
    if (config.recordsPerFile !== undefined && !hasNumberPlaceholder(config.file)) problem(['file'], 'with recordsPerFile the file name needs a $ (or $$) where the file number goes');
    if (config.append && config.format === 'json') problem(['append'], 'a JSON array cannot be appended to; use format jsonl');
    if (config.format === 'csv') {
      try {
        resolveCsvDialect({ delimiter: config.delimiter, quote: config.quote });
      } catch (error) {
        problem(['delimiter'], (error as Error).message);
      }
    }
    if (input === undefined) return problems;
    for (const key of keys) if (!input.has(key)) problem(['partitionKey'], `partitionKey field ${key} is not in metadata ${input.name} (fields: ${input.fieldNames.join(', ')})`);
    try {
      compileTemplate(config.file, input);
    } catch (error) {
      problem(['file'], (error as Error).message);
    }
    if ((config.format === 'jsonl' || config.format === 'json') && config.field !== undefined && !input.has(config.field)) {
      problem(['field'], `field ${config.field} is not in metadata ${input.name}`);
    }
    if ((config.format === 'text' || config.format === 'raw') && valueField(config, input) === undefined) {
      problem(['field'], config.field === undefined ? `format ${config.format} writes one field; name it with field (metadata ${input.name} has ${input.fields.length} fields)` : `field ${config.field} is not in metadata ${input.name}`);
    }
    return problems;
  },
  async run(context) {
    const { config } = context;
    const input = context.inputs[0]!;
    const output = context.outputs[0]!;
    const metadata = input.metadata;
    const format = recordFormat(config, metadata);
    const template = context.compileTemplate(config.file, metadata);
    const keys = keyFields(config.partitionKey);
    const numbered = config.recordsPerFile !== undefined;
    const perFile = config.recordsPerFile ?? Number.POSITIVE_INFINITY;
    const options = { append: config.append, makeDirs: config.makeDirs };
    /** Every file opened, in order; all are published together at the end, or all discarded. */
    const targets: AtomicFileTarget[] = [];
    const closed: { target: AtomicFileTarget; bytes: number }[] = [];
    const groups = new Map<string, FileGroup>();
    // NOTE: a safety net: normally the try/catch below already discarded everything.
    context.onRunEnd(async () => {
      for (const target of targets) await target.discard().catch(() => undefined);
    });

    const groupOf = (record: DataRecord | null): FileGroup => {
      const name = template.constant ? config.file : template.render(record, context.dictionary);
      const key = keys.length > 0 ? partitionKeyText(keys.map((field) => record?.[field])) : undefined;
      // Groups are told apart by the name they produce, so two keys that sanitise alike share a file.
      const identity = key === undefined ? name : withPartition(name, key);
      let group = groups.get(identity);
      if (group === undefined) groups.set(identity, (group = { name, key, fileNumber: 0, target: null }));
      return group;
    };
    const open = async (group: FileGroup): Promise<AtomicFileTarget> => {
      // Numbers first, then the key: `$` inside a key value stays literal.
      const numberedName = numbered ? withFileNumber(group.name, group.fileNumber) : group.name;
      const path = context.resolvePath(group.key === undefined ? numberedName : withPartition(numberedName, group.key));
      // NOTE: raw writes bytes as they are: a downloaded `.gz` file must not be compressed twice.
      const gzip = config.compression === 'gzip' || (config.compression === 'auto' && config.format !== 'raw' && path.toLowerCase().endsWith('.gz'));
      const target = await AtomicFileTarget.open(path, { ...options, gzip });
      targets.push(target);
      if (!target.appendsToContent) target.append(format.begin());
      group.target = target;
      return target;
    };
    const close = async (target: AtomicFileTarget): Promise<void> => {
      target.append(format.end(target.records));
      closed.push({ target, bytes: await target.close() });
    };

    let recordNo = 0;
    try {
      // Names that do not depend on records exist even when no record arrives.
      const fixed = template.constant && keys.length === 0 ? groupOf(null) : undefined;
      if (fixed !== undefined) await open(fixed);
      const waiting = new Set<AtomicFileTarget>();
      for await (const batch of input) {
        for (let i = 0; i < batch.length; i++) {
          const record = batch[i]!;
          recordNo++;
          const group = fixed ?? groupOf(record);
          let target = group.target ?? (await open(group));
          if (target.records === perFile) {
            await close(target);
            group.fileNumber++;
            target = await open(group);
          }
          const data = format.format(record, target.records);
          target.records++;
          if (typeof data === 'string') target.append(data);
          else target.appendBytes(data);
          if (target.mustWait) waiting.add(target);
        }
        for (const target of waiting) await target.drained();
        waiting.clear();
      }
      for (const group of groups.values()) if (group.target !== null) await close(group.target);
      for (const { target } of closed) await target.publish();
    } catch (error) {
      for (const target of targets) await target.discard().catch(() => undefined);
      throw withRecord(error, recordNo);
    }
    for (const { target, bytes } of closed) {
      input.counters.bytes += bytes;
      if (!output.connected) continue;
      const record = output.newRecord();
      record.file = target.path;
      record.records = target.records;
      record.bytes = bytes;
      if (!output.write(record)) await output.ready();
    }
  },
});

function keyFields(key: unknown): string[] {
  if (key === undefined) return [];
  return typeof key === 'string' ? [key] : (key as string[]);
}

function recordFormat(config: FileWriterConfig, metadata: RecordType): RecordFormat {
  const lineEnding = lineEndingOf(config.lineEnding);
  switch (config.format) {
    case 'csv':
      return createCsvRecordFormat(metadata, { header: config.header, delimiter: config.delimiter, quote: config.quote, quoteAll: config.quoteAll, lineEnding });
    case 'jsonl':
    case 'json':
      return createJsonRecordFormat(metadata, config.format === 'json', lineEnding, config.field);
    case 'text':
    case 'raw': {
      const field = valueField(config, metadata);
      if (field === undefined) throw new TrefoilError('TREFOIL_ERR_GRAPH_CONFIG', `format ${config.format}: set field to the field to write`);
      return createFieldRecordFormat(metadata, field, config.format === 'raw', lineEnding);
    }
  }
}

/** The field text/raw write: `field`, the only field, or a conventional name. */
function valueField(config: { field?: string }, metadata: RecordType): string | undefined {
  if (config.field !== undefined) return metadata.has(config.field) ? config.field : undefined;
  if (metadata.fields.length === 1) return metadata.fields[0]!.name;
  return ['data', 'line', 'content'].find((name) => metadata.has(name));
}

/** Adds the record number to errors raised while formatting or writing. */
function withRecord(error: unknown, recordNo: number): unknown {
  if (!(error instanceof TrefoilError) || error.location.recordNo !== undefined || recordNo === 0) return error;
  if (error.code === 'TREFOIL_ERR_RUN_ABORTED') return error;
  return new TrefoilError(error.code, error.message, { ...error.location, recordNo }, { cause: error.cause });
}
