/**
 * The csv-spectrum conformance suite (../shared/conformance/csv-spectrum): every CSV, read with
 * its first row as the header, gives exactly the records of its JSON; written back with CsvWriter
 * and read again, gives the same records; and parses the same when cut into chunks anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvWriter } from '../../../components/csv/csv-writer.ts';
import { parseChunks, splitAt, type CollectedRow } from './parse-csv-chunks.ts';

const SPECTRUM = path.resolve(import.meta.dirname, '../../../../shared/conformance/csv-spectrum');
const names = fs
  .readdirSync(path.join(SPECTRUM, 'csvs'))
  .filter((file) => file.endsWith('.csv'))
  .map((file) => file.slice(0, -'.csv'.length))
  .sort();

type Records = Record<string, string | null>[];

function toRecords(rows: readonly CollectedRow[]): Records {
  const [header, ...data] = rows;
  const names = header!.fields.map((name) => name ?? '');
  return data.map((row) => Object.fromEntries(names.map((name, k) => [name, row.fields[k] ?? null])));
}

function readCsv(name: string): Buffer {
  return fs.readFileSync(path.join(SPECTRUM, 'csvs', `${name}.csv`));
}

/**
 * The records each CSV must give. `location_coordinates` is known-bad upstream (see the suite's
 * README): its JSON is a single object, not an array, and its phone number (1234567890) is not
 * the one in the CSV (2095257564). We test it against what the CSV really holds: the upstream
 * object with the CSV's phone number. Its coordinates field holds bare `"` characters in an
 * unquoted field, which RFC 4180 does not allow: the parser reports that row as malformed (see
 * the test below) and its best-effort value keeps the quotes as text, as the JSON expects.
 */
function expectedRecords(name: string): Records {
  const expected: unknown = JSON.parse(fs.readFileSync(path.join(SPECTRUM, 'json', `${name}.json`), 'utf8'));
  if (name === 'location_coordinates') {
    return [{ ...(expected as Record<string, string>), 'Contact Phone Number': '2095257564' }];
  }
  return expected as Records;
}

describe('csv-spectrum', () => {
  it('has the suite present', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(names)('%s', (name) => {
    const bytes = readCsv(name);
    const expected = expectedRecords(name);
    const whole = parseChunks([bytes]);

    it('parses into exactly the expected records', () => {
      expect(toRecords(whole)).toEqual(expected);
    });

    it('round-trips through CsvWriter (LF and CRLF, minimal and quoteAll)', () => {
      const header = Object.keys(expected[0]!);
      for (const options of [{}, { lineEnding: '\r\n' as const }, { quoteAll: true }]) {
        const writer = new CsvWriter(options);
        const text = writer.formatHeader(header) + writer.formatRows(expected.map((record) => header.map((key) => record[key] ?? null)));
        expect(toRecords(parseChunks([Buffer.from(text, 'utf8')]))).toEqual(expected);
      }
    });

    it('parses the same at every chunk split point, and byte by byte', () => {
      for (let point = 1; point < bytes.length; point++) {
        expect(parseChunks(splitAt(bytes, [point]))).toEqual(whole);
      }
      const everyByte = Array.from({ length: bytes.length - 1 }, (_, k) => k + 1);
      expect(parseChunks(splitAt(bytes, everyByte))).toEqual(whole);
    });
  });

  it('reports the bare quotes of location_coordinates as a malformed row', () => {
    const rows = parseChunks([readCsv('location_coordinates')]);
    expect(rows[0]!.problem).toBeNull();
    expect(rows[1]!.problem).toMatchObject({ kind: 'quote-in-unquoted-field', rowNumber: 2, fieldIndex: 1 });
    expect(rows[1]!.originalText).toBe(readCsv('location_coordinates').toString('utf8').split('\n')[1]);
  });

  it('keeps the CRLF inside a quoted field of newlines_crlf', () => {
    const rows = parseChunks([readCsv('newlines_crlf')]);
    expect(rows[2]!.fields[0]).toBe('Once upon \r\na time');
  });
});
