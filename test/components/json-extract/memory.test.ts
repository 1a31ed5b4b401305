/**
 * Memory is bounded by the largest match, not the document (SPEC §7 must): a generated 300 MB
 * document (orders with nested items, a large member after the array) runs through
 * `trefoil run` — JSONExtract with children → Trash — with a peak RSS far below the document's
 * size; and a stalled consumer makes JSONExtract wait (backpressure) instead of queueing the
 * document's records.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureProcess } from '../../bench/measure-process.ts';
import { runYaml, temporaryDirectory } from '../../support/graph-runner.ts';
import { probe } from './pending-probe.ts';

const BIN = resolve(import.meta.dirname, '../../../engine/cli/bin.mjs');
const PROBE = resolve(import.meta.dirname, 'pending-probe.ts');
const MB = 1024 * 1024;

/**
 * Writes `{"generated":…,"orders":[…],"trailer":"…"}` of about `bytes`: orders of three items
 * each, written as repeated 1 MiB blocks (fast), then a 1 MiB string member. Returns the order count.
 */
function generateOrders(path: string, bytes: number): number {
  const orders: string[] = [];
  let blockSize = 0;
  for (let i = 0; blockSize < MB; i++) {
    const order = JSON.stringify({
      id: i,
      customer: { name: `Customer ${i}`, email: `c${i}@example.com` },
      total: 123.45,
      items: [1, 2, 3].map((line) => ({ sku: `SKU-${i}-${line}`, quantity: line, price: 9.99, note: 'ünïcode ✓' })),
    });
    orders.push(order);
    blockSize += order.length + 1;
  }
  const block = Buffer.from(orders.join(',') + ',');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, '{"generated":"2024-03-01T00:00:00Z","orders":[');
    let written = 0;
    let count = 0;
    while (written + block.length < bytes) {
      writeSync(fd, block);
      written += block.length;
      count += orders.length;
    }
    writeSync(fd, orders[0]!);
    writeSync(fd, `],"trailer":"${'x'.repeat(MB)}"}`);
    return count + 1;
  } finally {
    closeSync(fd);
  }
}

describe('JSONExtract memory', () => {
  it('streams a 300 MB document with a peak RSS far below its size', async () => {
    const scratch = temporaryDirectory();
    try {
      const input = join(scratch.dir, 'orders.json');
      const orders = generateOrders(input, 300 * MB);
      const graph = join(scratch.dir, 'graph.yaml');
      writeFileSync(
        graph,
        `graph: big
metadata:
  Order: { fields: { id: long, customer: string, total: { type: decimal, scale: 2 } } }
  Item: { fields: { orderId: long, line: integer, sku: string, quantity: integer, price: number } }
components:
  extract:
    type: JSONExtract
    file: orders.json
    mapping:
      - select: $.orders[*]
        port: 0
        fields: { customer: $.customer.name }
        children:
          - { select: "$.items[*]", port: 1, parentKey: { orderId: id }, sequenceField: line }
  orders: { type: Trash }
  items: { type: Trash }
edges:
  - { from: "extract:0", to: orders, metadata: Order }
  - { from: "extract:1", to: items, metadata: Item }
`,
      );
      const run = await measureProcess('trefoil', process.execPath, [BIN, 'run', graph, '--json', '--log-level', 'warn'], { cwd: scratch.dir });
      expect(run.exitCode).toBe(0);
      const result = JSON.parse(run.stdout) as { tracking: { components: { id: string; inputs: { records: number }[] }[] } };
      const received = (id: string) => result.tracking.components.find((component) => component.id === id)!.inputs[0]!.records;
      expect(received('orders')).toBe(orders);
      expect(received('items')).toBe(orders * 3);
      // The CLI process alone (engine, components, V8) takes ~100 MB; the document is 300 MB.
      expect(run.peakRssMb).toBeLessThan(180);
    } finally {
      scratch.cleanup();
    }
  }, 180_000);

  it('waits for a stalled consumer instead of queueing records (backpressure)', async () => {
    const scratch = temporaryDirectory();
    try {
      const input = join(scratch.dir, 'orders.json');
      const orders = generateOrders(input, 4 * MB);
      const { result } = await runYaml(
        `graph: stalled
plugins: [${JSON.stringify(PROBE)}]
components:
  extract: { type: JSONExtract, file: ${JSON.stringify(input)}, mapping: [{ select: "$.orders[*]" }] }
  sink: { type: TestPendingProbe }
edges:
  - { from: extract, to: sink, buffer: 100, metadata: { fields: { id: long } } }
`,
        { log: { level: 'silent' } },
      );
      expect(result.error?.message).toBeUndefined();
      expect(probe.sink!.records).toBe(orders);
      // At most the edge's capacity plus the records of one 64 KiB slice (~170 orders) wait; without backpressure, all ~10 000 would.
      expect(probe.sink!.pending).toBeGreaterThan(0);
      expect(probe.sink!.pending).toBeLessThan(100 + 500);
    } finally {
      scratch.cleanup();
    }
  }, 60_000);
});
