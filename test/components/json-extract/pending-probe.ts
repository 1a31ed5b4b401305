/**
 * A test-only sink that shows whether its producer honours backpressure: it takes one batch,
 * waits, and notes how many records wait in its input edge (`probe[id]`), then drains the rest.
 * A producer that ignores a full edge would have queued far more than the edge's capacity.
 */
import { defineComponent } from '../../../engine/component/define-component.ts';

// NOTE: on globalThis because the graph loads this module through tsx, as a separate instance.
const shared = globalThis as { __trefoilPendingProbe?: Record<string, { pending: number; records: number }> };
export const probe: Record<string, { pending: number; records: number }> = (shared.__trefoilPendingProbe ??= {});

export default defineComponent({
  type: 'TestPendingProbe',
  category: 'writers',
  summary: 'Measures how far a producer runs ahead of a stalled consumer (tests).',
  description: 'Test helper.',
  inputs: { ports: [{ name: 'in', description: 'Records.', required: true }] },
  outputs: { ports: [] },
  config: { stallMs: { type: 'integer', default: 300, description: 'How long to stall after the first batch.' } },
  async run({ id, inputs, config }) {
    const input = inputs[0]!;
    let records = 0;
    const first = await input.read();
    records += first?.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, config.stallMs));
    const pending = input.pending;
    for await (const batch of input) records += batch.length;
    probe[id] = { pending, records };
  },
});
