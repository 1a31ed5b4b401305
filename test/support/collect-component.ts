/**
 * A test-only sink: collects every record it receives into `collected[id]`, so graph tests can
 * compare a whole run's output. Loaded by graphs as a custom component (`type: <path>`), which
 * also exercises the plugin path.
 */
import { defineComponent } from '../../engine/component/define-component.ts';
import type { DataRecord } from '../../engine/metadata/record-type.ts';

// NOTE: on globalThis because the graph loads this module through tsx's tsImport, which gives
// it a module instance separate from the test's own import.
const shared = globalThis as { __trefoilCollected?: Record<string, DataRecord[]> };
export const collected: Record<string, DataRecord[]> = (shared.__trefoilCollected ??= {});

export default defineComponent({
  type: 'TestCollect',
  category: 'writers',
  summary: 'Collects records in memory for tests.',
  description: 'Test helper.',
  inputs: { ports: [{ name: 'in', description: 'Records to collect.', required: true }] },
  outputs: { ports: [] },
  config: {
    delayMs: { type: 'integer', default: 0, description: 'Wait this long after each batch (a slow consumer).' },
  },
  async run({ id, inputs, config }) {
    const records: DataRecord[] = (collected[id] = []);
    for await (const batch of inputs[0]!) {
      records.push(...batch);
      if (config.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.delayMs));
    }
  },
});
