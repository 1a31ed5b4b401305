/**
 * Port references in edges (SPEC §1): `node` (its first port of that direction), `node:N`
 * (index) or `node:name` (a name the component's spec declares). Indices and names are
 * interchangeable.
 */
import type { PortsSpec } from '../component/define-component.ts';

export interface ParsedPortReference {
  readonly node: string;
  /** The text after `:`, if any. */
  readonly port?: string;
}

export function parsePortReference(text: string): ParsedPortReference {
  const colon = text.indexOf(':');
  return colon < 0 ? { node: text } : { node: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** Highest number of ports a spec allows. */
export function maxPorts(ports: PortsSpec): number {
  return ports.more ? (ports.more.max ?? Number.POSITIVE_INFINITY) : ports.ports.length;
}

/** The port index a reference names, or an explanation of why it names none. */
export function resolvePortIndex(ports: PortsSpec, port: string | undefined): { index: number } | { error: string } {
  const limit = maxPorts(ports);
  if (limit === 0) return { error: 'has no ports of this direction' };
  if (port === undefined) return { index: 0 };
  if (/^\d+$/.test(port)) {
    const index = Number(port);
    if (index >= limit) return { error: `has no port ${index} (${describePorts(ports)})` };
    return { index };
  }
  const index = ports.ports.findIndex((spec) => spec.name === port);
  if (index < 0) return { error: `has no port named ${port} (${describePorts(ports)})` };
  return { index };
}

export function portName(ports: PortsSpec, index: number): string {
  return ports.ports[index]?.name ?? String(index);
}

export function describePorts(ports: PortsSpec): string {
  const named = ports.ports.map((spec, index) => `${index}=${spec.name}`);
  if (ports.more) named.push(ports.more.max === undefined ? `${ports.ports.length}…` : `${ports.ports.length}…${ports.more.max - 1}`);
  return named.length > 0 ? `ports: ${named.join(', ')}` : 'no ports';
}
