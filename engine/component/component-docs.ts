/**
 * Documentation generated from component specs: `trefoil components [TYPE]` and the README's
 * component reference are both this text, so they cannot drift from the code.
 */
import type { ConfigField, ConfigFields } from './config-spec.ts';
import type { ComponentDefinition, PortsSpec } from './define-component.ts';

export function componentList(definitions: readonly ComponentDefinition[]): string {
  const width = Math.max(...definitions.map((d) => d.type.length));
  return definitions.map((d) => `${d.type.padEnd(width)}  ${d.summary}`).join('\n') + '\n';
}

/** Markdown reference of one component. `level` is the heading level of its title. */
export function componentReference(definition: ComponentDefinition, level = 3): string {
  const heading = '#'.repeat(level);
  const lines: string[] = [`${heading} ${definition.type}`, '', `*${definition.category}* — ${definition.summary}`, '', definition.description, ''];
  lines.push(`**Inputs:** ${describePorts(definition.inputs)}  `, `**Outputs:** ${describePorts(definition.outputs)}`, '');
  if (definition.stopsEarly) lines.push('Stops early by design: it may finish before reading all its input; producers stop cleanly.', '');
  const rows = configRows(definition.config, '');
  if (rows.length > 0) {
    lines.push('| key | type | default | description |', '| --- | --- | --- | --- |', ...rows, '');
  } else lines.push('No configuration.', '');
  for (const example of definition.examples ?? []) {
    lines.push(`Example — ${example.title}:`, '', '```yaml', example.yaml, '```', '');
  }
  return lines.join('\n');
}

function describePorts(ports: PortsSpec): string {
  if (ports.ports.length === 0 && !ports.more) return 'none';
  const named = ports.ports.map((port, index) => `\`${index}\` ${port.name}${port.required ? ' (required)' : ''} — ${port.description}`);
  if (ports.more) named.push(`\`${ports.ports.length}…\` ${ports.more.description}`);
  return named.join('; ');
}

function configRows(fields: ConfigFields, prefix: string): string[] {
  const rows: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    const name = `\`${prefix}${key}\`${field.required ? ' *(required)*' : ''}`;
    const fallback = field.default === undefined ? '' : `\`${JSON.stringify(field.default)}\``;
    rows.push(`| ${name} | ${typeName(field)} | ${fallback} | ${escapeCell(field.description)}${field.secret ? ' *(secret: masked in output)*' : ''} |`);
    if (field.type === 'object') rows.push(...configRows(field.properties, `${prefix}${key}.`));
  }
  return rows;
}

function typeName(field: ConfigField): string {
  switch (field.type) {
    case 'string':
      // Control characters (a `\r\n` line ending) are shown escaped so the table stays one row.
      return field.enum ? field.enum.map((value) => `\`${JSON.stringify(value).slice(1, -1)}\``).join(' \\| ') : 'string';
    case 'template':
      return 'template';
    case 'code':
      return 'JavaScript';
    case 'map':
      return `map of ${typeName(field.values)}`;
    case 'list':
      return `list of ${typeName(field.items)}`;
    default:
      return field.type;
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
