/**
 * Memory stays flat: a large document of small objects, generated on the fly and never held
 * whole, is extracted with the heap bounded far below the document's size.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { StreamingJsonExtractor } from '../../../components/json/streaming-extractor.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const DOCUMENT_BYTES = 200 * 1024 * 1024;
const HEAP_GROWTH_LIMIT = 48 * 1024 * 1024;

/** One ~64 KiB run of `,{…}` elements; ids restart in every run, which is fine for counting. */
function elementRun(): { bytes: Buffer; elements: number } {
  const parts: string[] = [];
  let size = 0;
  let elements = 0;
  while (size < 64 * 1024) {
    const part = `,{"id":${elements},"name":"item ${elements} with some text","tags":["x","y\\u00e9"],"price":${elements / 10},"ok":true,"note":null}`;
    parts.push(part);
    size += Buffer.byteLength(part);
    elements++;
  }
  return { bytes: Buffer.from(parts.join('')), elements };
}

describe('streaming extractor memory', () => {
  it(`extracts every element of a ${DOCUMENT_BYTES >> 20} MB document with the heap growing less than ${HEAP_GROWTH_LIMIT >> 20} MB`, () => {
    const run = elementRun();
    let items = 0;
    let tags = 0;
    let idSum = 0;
    const extractor = new StreamingJsonExtractor(
      [{ select: '$.items[*]', tag: 'item', children: [{ select: '$.tags[*]', tag: 'tag' }] }],
      (match) => {
        if (match.tag === 'item') {
          items++;
          idSum += (match.value as { id: number }).id;
        } else {
          tags++;
        }
      },
      { source: 'generated.json' },
    );

    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peakGrowth = 0;
    let written = 0;
    let runs = 0;
    const head = Buffer.from('{"meta":{"generated":true,"ids":[1,2,3]},"items":[{"id":-1,"tags":[]}');
    extractor.write(head);
    written += head.length;
    while (written < DOCUMENT_BYTES) {
      extractor.write(run.bytes);
      written += run.bytes.length;
      if (++runs % 256 === 0) {
        collectGarbage();
        peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - baseline);
      }
    }
    extractor.write(Buffer.from('],"tail":"done"}'));
    extractor.end();

    const elementsPerRun = run.elements;
    expect(items).toBe(1 + runs * elementsPerRun);
    expect(tags).toBe(2 * runs * elementsPerRun);
    expect(idSum).toBe(-1 + (runs * elementsPerRun * (elementsPerRun - 1)) / 2);
    expect(written).toBeGreaterThanOrEqual(DOCUMENT_BYTES);
    expect(peakGrowth).toBeLessThan(HEAP_GROWTH_LIMIT);
  }, 120_000);
});
