/**
 * Differential test: CsvParser against a one-character-at-a-time reference parser written
 * straight from the grammar in csv-parser.ts, on seeded random inputs full of delimiters, quotes,
 * CR, LF and multi-byte characters, cut into random chunks (UTF-8 characters, CRLFs and
 * multi-character delimiters included). Checks fields, row numbers, byte offsets, the original
 * text and the first problem of every row.
 */
import { describe, expect, it } from 'vitest';
import type { CsvProblemKind } from '../../../components/csv/csv-problem.ts';
import { parseChunks, splitAt } from './parse-csv-chunks.ts';

interface ReferenceRow {
  fields: (string | null)[];
  rowNumber: number;
  offset: number;
  originalText: string;
  problem: { kind: CsvProblemKind; fieldIndex: number; offset: number } | null;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function referenceParse(text: string, delimiter: string, quote: string | null): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const rowStart = i;
    const fields: (string | null)[] = [];
    let problem: ReferenceRow['problem'] = null;
    const report = (kind: CsvProblemKind, at: number) => {
      problem ??= { kind, fieldIndex: fields.length, offset: byteLength(text.slice(0, at)) };
    };
    let rowEnd = -1;
    for (;;) {
      let value = '';
      let quoted = false;
      if (quote !== null && text[i] === quote) {
        quoted = true;
        const opening = i;
        i++;
        let closed = false;
        while (i < n) {
          if (text[i] === quote) {
            if (text[i + 1] === quote) {
              value += quote;
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          value += text[i];
          i++;
        }
        if (!closed) report('unterminated-quote', opening);
        else if (i < n && !text.startsWith(delimiter, i) && text[i] !== '\r' && text[i] !== '\n') report('text-after-closing-quote', i);
      }
      while (i < n && !text.startsWith(delimiter, i) && text[i] !== '\r' && text[i] !== '\n') {
        if (quote !== null && text[i] === quote) report('quote-in-unquoted-field', i);
        value += text[i];
        i++;
      }
      fields.push(!quoted && value === '' ? null : value);
      if (i >= n) {
        rowEnd = n;
        break;
      }
      if (text.startsWith(delimiter, i)) {
        i += delimiter.length;
        continue;
      }
      rowEnd = i;
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      break;
    }
    rows.push({
      fields,
      rowNumber: rows.length + 1,
      offset: byteLength(text.slice(0, rowStart)),
      originalText: text.slice(rowStart, rowEnd),
      problem,
    });
  }
  return rows;
}

/** A small seeded generator (mulberry32), so failures reproduce. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIALECTS: { delimiter: string; quote: string | null; alphabet: string[] }[] = [
  { delimiter: ',', quote: '"', alphabet: ['a', 'b', ' ', ',', ',', '"', '"', '"', '\r', '\n', '\n', 'é', '€', '😀'] },
  { delimiter: ';', quote: "'", alphabet: ['x', ';', "'", "'", '"', '\r\n', '\n', 'ü'] },
  { delimiter: '\t', quote: '"', alphabet: ['1', '\t', '\t', '"', '"', '\n', '\r', ' '] },
  { delimiter: '||', quote: '"', alphabet: ['a', '|', '|', '|', '"', '"', '\n', '\r\n', 'ž'] },
  { delimiter: '€', quote: '"', alphabet: ['a', '€', '€', '£', '"', '"', '\n', '\r'] },
  { delimiter: ',', quote: null, alphabet: ['a', ',', ',', '"', '\n', '\r', '€'] },
];

describe('CsvParser against the reference parser', () => {
  for (const dialect of DIALECTS) {
    it(`agrees on random inputs: delimiter ${JSON.stringify(dialect.delimiter)}, quote ${JSON.stringify(dialect.quote)}`, () => {
      const random = seededRandom(0xc5 + dialect.delimiter.charCodeAt(0));
      let rowsCompared = 0;
      let problemsCompared = 0;
      for (let round = 0; round < 400; round++) {
        const pieces = 1 + Math.floor(random() * 60);
        let text = '';
        for (let k = 0; k < pieces; k++) text += dialect.alphabet[Math.floor(random() * dialect.alphabet.length)];
        const bytes = Buffer.from(text, 'utf8');
        const expected = referenceParse(text, dialect.delimiter, dialect.quote);
        const points: number[] = [];
        for (let at = 1; at < bytes.length; at++) if (random() < 0.15) points.push(at);
        const options = { delimiter: dialect.delimiter, quote: dialect.quote };
        for (const chunks of [[bytes], splitAt(bytes, points)]) {
          const actual = parseChunks(chunks, options).map((row) => ({
            ...row,
            problem: row.problem && { kind: row.problem.kind, fieldIndex: row.problem.fieldIndex, offset: row.problem.offset },
          }));
          expect(actual, JSON.stringify({ text, points })).toEqual(expected);
        }
        rowsCompared += expected.length;
        problemsCompared += expected.filter((row) => row.problem !== null).length;
      }
      // Not vacuous: the inputs produced many rows, and malformed ones when quoting is on.
      expect(rowsCompared).toBeGreaterThan(1000);
      if (dialect.quote !== null) expect(problemsCompared).toBeGreaterThan(50);
    });
  }
});
