/**
 * Fail — CloverDX's Fail: stops the run on purpose.
 */
import { defineComponent } from '../engine/component/define-component.ts';
import { TrefoilError } from '../engine/errors/trefoil-error.ts';

export default defineComponent({
  type: 'Fail',
  category: 'others',
  summary: 'Fails the run with a message when a record arrives, or when its phase starts if it has no input.',
  description:
    'Use it on a branch that must stay empty (e.g. the rejected port of a validation Filter). `message` is a template: `*{field}` takes values from the first record that arrived.',
  inputs: { ports: [{ name: 'in', description: 'Any record arriving here fails the run.' }] },
  outputs: { ports: [] },
  stopsEarly: true,
  config: {
    message: { type: 'template', default: 'the graph reached a Fail component', description: 'Error message; `*{field}` refers to the first arriving record.' },
  },
  async run({ config, inputs, compileTemplate, dictionary }) {
    const input = inputs[0]!;
    const message = compileTemplate(config.message, input.connected ? input.metadata : undefined);
    if (!input.connected) throw new TrefoilError('TREFOIL_ERR_RUN_FAIL_COMPONENT', message.render(null, dictionary));
    const batch = await input.read();
    if (batch !== null) throw new TrefoilError('TREFOIL_ERR_RUN_FAIL_COMPONENT', message.render(batch[0]!, dictionary), { recordNo: 1 });
  },
});
