/**
 * The runtime's guarantees (SPEC §3, §5): records flow in order, edges are bounded
 * (backpressure), cross-phase edges spill and clean up, split/re-join cycles cannot deadlock,
 * failures abort the phase and name the component and record, the unread-input rule, the
 * dictionary across phases.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGraph } from '../../engine/run-graph.ts';
import { COLLECT, runYaml } from '../support/graph-runner.ts';
import { observations } from '../support/probe-component.ts';
import { resolve } from 'node:path';

const PROBES = resolve(import.meta.dirname, '../support/probe-component.ts');

const GENERATE = (records: number, extra = '') => `
  gen:
    type: DataGenerator
    records: ${records}
    generate: |
      $out[0].id = index;
      $out[0].name = 'n' + index;${extra}
`;

describe('runtime', () => {
  it('moves every record through a pipeline in order, with its metadata checked', async () => {
    const { result, collected } = await runYaml(`
graph: pipeline
metadata:
  In: { fields: { id: long, name: string } }
  Out: { fields: { id: long, label: string, even: boolean } }
components:${GENERATE(5000)}
  label:
    type: Reformat
    transform: |
      $out[0].id = $in[0].id;
      $out[0].label = $in[0].name.toUpperCase();
      $out[0].even = $in[0].id % 2 === 0;
  keep:
    type: Filter
    filter: $in[0].even
  sink: { type: ${COLLECT} }
edges:
  - { from: gen, to: label, metadata: In }
  - { from: label, to: keep, metadata: Out }
  - { from: keep, to: sink }
`);
    expect(result.status).toBe('FINISHED_OK');
    expect(collected.sink).toHaveLength(2500);
    expect(collected.sink![0]).toEqual({ id: 0, label: 'N0', even: true });
    expect(collected.sink!.at(-1)).toEqual({ id: 4998, label: 'N4998', even: true });
    expect(collected.sink!.map((r) => r.id)).toEqual(Array.from({ length: 2500 }, (_, i) => i * 2));
  });

  it('keeps a fast producer at the edge bound when the consumer is slow (backpressure)', async () => {
    const samples: number[] = [];
    let timer: NodeJS.Timeout | undefined;
    const { result } = await runYaml(
      `
graph: backpressure
metadata:
  In: { fields: { id: long, name: string } }
components:${GENERATE(30000)}
  slow: { type: ${COLLECT}, delayMs: 2 }
edges:
  - { from: gen, to: slow, metadata: In, buffer: 2000 }
`,
      {
        onStart(tracker) {
          timer = setInterval(() => {
            const snapshot = tracker.snapshot();
            const written = snapshot.components.find((c) => c.id === 'gen')!.outputs[0]!.records;
            const read = snapshot.components.find((c) => c.id === 'slow')!.inputs[0]!.records;
            samples.push(written - read);
          }, 1);
        },
      },
    );
    clearInterval(timer);
    expect(result.status).toBe('FINISHED_OK');
    expect(samples.length).toBeGreaterThan(20);
    // Never more than the bound; and the producer did run ahead up to it.
    expect(Math.max(...samples)).toBeLessThanOrEqual(2000);
    expect(Math.max(...samples)).toBeGreaterThanOrEqual(1000);
  });

  it('spills a cross-phase edge past the memory threshold and removes the file after the run', async () => {
    const { result, collected } = await runYaml(
      `
graph: spill
plugins: [${PROBES}]
metadata:
  In: { fields: { id: long, name: string, amount: { type: decimal, scale: 2 } } }
components:${GENERATE(20000, '\n      $out[0].amount = index / 4;')}
  copy: { type: SimpleCopy, phase: 1 }
  look: { type: TestListTempDir, phase: 1 }
  sink: { type: ${COLLECT}, phase: 1 }
edges:
  - { from: gen, to: copy, metadata: In }
  - { from: copy:0, to: sink }
  - { from: copy:1, to: look }
`,
      { spillThreshold: 1000 },
    );
    expect(result.status).toBe('FINISHED_OK');
    expect(observations.tempFiles?.some((name) => name.endsWith('.spill'))).toBe(true);
    expect(existsSync(observations.tempDir!)).toBe(false);
    expect(collected.sink).toHaveLength(20000);
    expect(collected.sink![19999]!.amount!.toString()).toBe('4999.75');
    expect(collected.sink!.map((r) => r.id)).toEqual(Array.from({ length: 20000 }, (_, i) => i));
  });

  it('removes spill files when the run fails or is aborted', async () => {
    const failing = await runYaml(
      `
graph: spill-fail
plugins: [${PROBES}]
metadata:
  In: { fields: { id: long, name: string } }
components:${GENERATE(5000)}
  look: { type: TestListTempDir, phase: 1 }
  bad:
    type: Reformat
    phase: 1
    transform: "if ($in[0].id === 4000) throw new Error('boom'); copy($in[0], $out[0]);"
  sink: { type: ${COLLECT}, phase: 1 }
  copy: { type: SimpleCopy, phase: 0 }
edges:
  - { from: gen, to: copy, metadata: In }
  - { from: copy:0, to: look }
  - { from: copy:1, to: bad }
  - { from: bad, to: sink, metadata: In }
`,
      { spillThreshold: 100 },
    );
    expect(failing.result.status).toBe('ERROR');
    expect(observations.tempFiles?.filter((name) => name.endsWith('.spill')).length).toBeGreaterThan(0);
    expect(existsSync(observations.tempDir!)).toBe(false);

    const controller = new AbortController();
    const aborted = await runYaml(
      `
graph: spill-abort
plugins: [${PROBES}]
metadata:
  In: { fields: { id: long, name: string } }
components:${GENERATE(10_000_000)}
  look: { type: TestListTempDir, phase: 1 }
edges:
  - { from: gen, to: look, metadata: In }
`,
      { spillThreshold: 100, signal: controller.signal, onStart: () => setTimeout(() => controller.abort(), 150) },
    );
    expect(aborted.result.status).toBe('ABORTED');
    expect(aborted.result.error?.code).toBe('TREFOIL_ERR_RUN_ABORTED');
    const tmp = String(aborted.result.tracking.runId);
    expect(readdirSync(resolve(observations.tempDir!, '..')).some((name) => name.includes(tmp))).toBe(false);
  });

  it('buffers one edge of a split/re-join cycle so the phase cannot deadlock', async () => {
    const yaml = `
graph: rejoin
metadata:
  In: { fields: { id: long, name: string } }
components:${GENERATE(50000)}
  copy: { type: SimpleCopy }
  left: { type: Reformat, transform: "copy($in[0], $out[0]);" }
  right: { type: Reformat, transform: "copy($in[0], $out[0]); $out[0].name = 'r';" }
  both: { type: Concatenate }
  sink: { type: ${COLLECT} }
edges:
  - { from: gen, to: copy, metadata: In, buffer: 100 }
  - { from: copy:0, to: left, buffer: 100 }
  - { from: copy:1, to: right, buffer: 100 }
  - { from: left, to: both:0, metadata: In, buffer: 100 }
  - { from: right, to: both:1, metadata: In, buffer: 100 }
  - { from: both, to: sink }
`;
    const plan = await loadGraph(yaml);
    expect(plan.edges.filter((edge) => edge.kind === 'buffered').map((edge) => edge.id)).toEqual(['right:0->both:1']);
    const { result, collected } = await runYaml(yaml);
    expect(result.status).toBe('FINISHED_OK');
    expect(collected.sink).toHaveLength(100000);
    expect(collected.sink![49999]!.name).toBe('n49999');
    expect(collected.sink![50000]!.name).toBe('r');
  });

  it('fails the run naming the component, its type and the record; later phases do not start', async () => {
    const { result, collected } = await runYaml(`
graph: failing
metadata:
  In: { fields: { id: long, name: string } }
components:${GENERATE(100)}
  bad:
    type: Reformat
    transform: |
      if ($in[0].id === 41) throw new Error('no answer here');
      copy($in[0], $out[0]);
  sink: { type: ${COLLECT} }
  later: { type: ${COLLECT}, phase: 1 }
  gen2:
    type: DataGenerator
    phase: 1
    records: 1
    generate: "$out[0].id = 1;"
edges:
  - { from: gen, to: bad, metadata: In }
  - { from: bad, to: sink, metadata: In }
  - { from: gen2, to: later, metadata: In }
`);
    expect(result.status).toBe('ERROR');
    expect(result.error).toMatchObject({ component: 'bad', componentType: 'Reformat', recordNo: 42, code: 'TREFOIL_ERR_RUN_TRANSFORM' });
    expect(result.error!.message).toBe('bad (Reformat) failed: transform failed at record 42: no answer here');
    expect(collected.later).toBeUndefined();
    expect(result.tracking.phases.map((p) => p.status)).toEqual(['ERROR', 'READY']);
    const statuses = Object.fromEntries(result.tracking.components.map((c) => [c.id, c.status]));
    expect(statuses).toMatchObject({ bad: 'ERROR', later: 'READY' });
  });

  it('fails a component that writes a record breaking its metadata, naming field, value and record', async () => {
    const { result } = await runYaml(`
graph: bad-record
metadata:
  In: { fields: { id: long, name: string } }
  Out: { fields: { id: long, size: integer } }
components:${GENERATE(10)}
  r:
    type: Reformat
    transform: |
      $out[0].id = $in[0].id;
      $out[0].size = $in[0].id === 6 ? 'big' : 1;
  sink: { type: Trash }
edges:
  - { from: gen, to: r, metadata: In }
  - { from: r, to: sink, metadata: Out }
`);
    expect(result.status).toBe('ERROR');
    expect(result.error!.component).toBe('r');
    expect(result.error!.message).toContain('record 7');
    expect(result.error!.message).toContain('field size must be a 32-bit integer, got string "big"');
  });

  it('routes failing records to the error port with onError: port', async () => {
    const { result, collected } = await runYaml(`
graph: onerror
metadata:
  In: { fields: { id: long, name: string } }
  Err: { fields: { id: long, errorMessage: string } }
components:${GENERATE(10)}
  r:
    type: Reformat
    onError: port
    transform: |
      if ($in[0].id % 3 === 0) throw new Error('multiple of three');
      copy($in[0], $out[0]);
  ok: { type: ${COLLECT} }
  errors: { type: ${COLLECT} }
edges:
  - { from: gen, to: r, metadata: In }
  - { from: r:0, to: ok, metadata: In }
  - { from: r:1, to: errors, metadata: Err }
`);
    expect(result.status).toBe('FINISHED_OK');
    expect(collected.ok!.map((r) => r.id)).toEqual([1, 2, 4, 5, 7, 8]);
    expect(collected.errors).toEqual([0, 3, 6, 9].map((id) => ({ id, errorMessage: 'multiple of three' })));
  });

  it('fails a component that returns while its input still holds records', async () => {
    const { result } = await runYaml(`
graph: unread
plugins: [${PROBES}]
metadata:
  In: { fields: { id: long, name: string } }
components:${GENERATE(100000)}
  lazy: { type: TestUnreadInput }
edges:
  - { from: gen, to: lazy, metadata: In }
`);
    expect(result.status).toBe('ERROR');
    expect(result.error).toMatchObject({ component: 'lazy', code: 'TREFOIL_ERR_RUN_UNREAD_INPUT' });
  });

  it('carries dictionary values from one phase to the next and reports them', async () => {
    const { result, collected } = await runYaml(
      `
graph: dict
dictionary:
  seen: { type: long, default: 0 }
  label: string
metadata:
  In: { fields: { id: long, name: string } }
  Out: { fields: { text: string } }
components:${GENERATE(7)}
  count:
    type: Reformat
    transform: |
      dict.seen = dict.seen + 1;
      return SKIP;
  sink0: { type: Trash }
  one:
    type: DataGenerator
    phase: 1
    records: 1
    generate: "$out[0].text = dict.label + ':' + dict.seen;"
  sink: { type: ${COLLECT}, phase: 1 }
edges:
  - { from: gen, to: count, metadata: In }
  - { from: count, to: sink0, metadata: In }
  - { from: one, to: sink, metadata: Out }
`,
      { dictionary: { label: 'total' } },
    );
    expect(result.status).toBe('FINISHED_OK');
    expect(collected.sink).toEqual([{ text: 'total:7' }]);
    expect(result.dictionary).toEqual({ seen: 7, label: 'total' });
  });

  it('runs phases strictly in order', async () => {
    const { result } = await runYaml(`
graph: phases
metadata:
  In: { fields: { id: long, name: string } }
components:${GENERATE(20000)}
  a: { type: Trash }
  gen2:
    type: DataGenerator
    phase: 5
    records: 10
    generate: "$out[0].id = index;"
  b: { type: Trash, phase: 5 }
edges:
  - { from: gen, to: a, metadata: In }
  - { from: gen2, to: b, metadata: In }
`);
    expect(result.status).toBe('FINISHED_OK');
    const [p0, p5] = result.tracking.phases;
    expect(p0!.phase).toBe(0);
    expect(p5!.phase).toBe(5);
    expect(Date.parse(p5!.startTime!)).toBeGreaterThanOrEqual(Date.parse(p0!.endTime!));
  });

  it('turns a disabled one-in/one-out component into a pass-through edge', async () => {
    const { result, collected } = await runYaml(`
graph: disabled
metadata:
  In: { fields: { id: long, name: string } }
components:${GENERATE(5)}
  drop: { type: Filter, filter: "false", enabled: false }
  sink: { type: ${COLLECT} }
edges:
  - { from: gen, to: drop, metadata: In }
  - { from: drop, to: sink }
`);
    expect(result.status).toBe('FINISHED_OK');
    expect(collected.sink).toHaveLength(5);
  });
});
