/**
 * ParamsFileWriter — stores values from records into a params file (SPEC §4 format), secure
 * ones encrypted as `enc:v1:`, every other entry and comment kept. It is how a graph hands a
 * value to later runs: an OAuth token obtained by one graph is used by the next through
 * `--params` (graphs/dropbox/token.yaml). CloverDX has no such component; its Server keeps
 * secure parameters itself.
 */
import { defineComponent, type ConfigProblem } from '../engine/component/define-component.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';
import { valueToText } from '../engine/metadata/value-text.ts';
import { setParam } from '../engine/params/params-file.ts';
import { masterPasswordFromEnvironment } from '../engine/params/secure-value.ts';

export default defineComponent({
  type: 'ParamsFileWriter',
  category: 'writers',
  summary: 'Stores field values of each input record as parameters in a params file (secure ones encrypted).',
  description: [
    'For each input record, every entry of `entries` (`NAME: field`) sets parameter NAME to the field\'s value as text; names listed in `secure` are encrypted',
    'with the master password (`TREFOIL_MASTER_PASSWORD`) and masked in all output from then on. A null field leaves the parameter as it was (so an optional',
    'refresh token does not erase a stored one). The file is created if missing (mode 0600) and replaced atomically; its other entries and comments are kept.',
  ].join(' '),
  inputs: { ports: [{ name: 'in', description: 'Records holding the values.', required: true }] },
  outputs: { ports: [] },
  config: {
    file: { type: 'template', required: true, description: 'The params file (YAML NAME: value); relative to the working directory.' },
    entries: {
      type: 'map',
      values: { type: 'string', description: 'Field name.' },
      required: true,
      description: 'Parameter name → input field whose value it takes.',
    },
    secure: { type: 'list', items: { type: 'string', description: 'Parameter name.' }, default: [], description: 'Parameters stored encrypted.' },
  },
  examples: [
    {
      title: 'Store an access token for later runs',
      yaml: [
        'store:',
        '  type: ParamsFileWriter',
        '  file: ${PARAMS_FILE}',
        '  entries: { DROPBOX_TOKEN: access_token, DROPBOX_REFRESH_TOKEN: refresh_token }',
        '  secure: [DROPBOX_TOKEN, DROPBOX_REFRESH_TOKEN]',
      ].join('\n'),
    },
  ],
  validate({ config, inputs }) {
    const problems: ConfigProblem[] = [];
    const metadata = inputs[0];
    for (const [name, field] of Object.entries(config.entries)) {
      if (metadata && !metadata.has(field)) {
        problems.push({ path: ['entries', name], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: `field ${field} is not in metadata ${metadata.name} (fields: ${metadata.fieldNames.join(', ')})` });
      }
    }
    for (const [index, name] of config.secure.entries()) {
      if (!(name in config.entries)) problems.push({ path: ['secure', index], code: 'TREFOIL_ERR_GRAPH_CONFIG', message: `${name} is not one of the entries` });
    }
    return problems;
  },
  async run({ config, inputs, compileTemplate, resolvePath, addSecret, dictionary, log }) {
    const input = inputs[0]!;
    const file = compileTemplate(config.file, input.metadata);
    const secure = new Set(config.secure);
    const masterPassword = masterPasswordFromEnvironment();
    let recordNo = 0;
    for await (const batch of input) {
      for (const record of batch) {
        recordNo++;
        const path = resolvePath(file.render(record, dictionary));
        for (const [name, field] of Object.entries(config.entries)) {
          const value = record[field];
          if (value === null || value === undefined) continue;
          const text = valueToText(value);
          if (secure.has(name)) addSecret(text);
          try {
            setParam(path, name, text, { secure: secure.has(name), masterPassword });
          } catch (error) {
            throw error instanceof TrefoilError ? new TrefoilError(error.code, `record ${recordNo}: ${error.message}`, { ...error.location, recordNo }, { cause: error }) : error;
          }
          log.info({ file: path, parameter: name, secure: secure.has(name) }, 'parameter stored');
        }
      }
    }
  },
});
