/**
 * Test-only components that misbehave on purpose or look inside the run: `UnreadInput`
 * returns without reading its input; `ListTempDir` records the run's temporary directory
 * listing when it starts.
 */
import { readdirSync } from 'node:fs';
import { defineComponent } from '../../engine/component/define-component.ts';

// NOTE: shared through globalThis: the graph's tsImport instance differs from the test's import.
const shared = globalThis as { __trefoilObservations?: { tempDir?: string; tempFiles?: string[] } };
export const observations: { tempDir?: string; tempFiles?: string[] } = (shared.__trefoilObservations ??= {});

export const unreadInput = defineComponent({
  type: 'TestUnreadInput',
  category: 'others',
  summary: 'Returns without reading its input.',
  description: 'Test helper.',
  inputs: { ports: [{ name: 'in', description: 'Never read.', required: true }] },
  outputs: { ports: [] },
  config: {},
  async run() {
    await new Promise((resolve) => setTimeout(resolve, 20));
  },
});

export const listTempDir = defineComponent({
  type: 'TestListTempDir',
  category: 'others',
  summary: 'Lists the temporary directory, then reads its input.',
  description: 'Test helper.',
  inputs: { ports: [{ name: 'in', description: 'Read to the end.' }] },
  outputs: { ports: [] },
  config: {},
  async run({ tempDir, inputs }) {
    observations.tempDir = tempDir;
    observations.tempFiles = readdirSync(tempDir);
    for await (const batch of inputs[0]!) void batch;
  },
});
