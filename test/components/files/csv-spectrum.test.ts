/**
 * The csv-spectrum conformance suite (../shared/conformance/csv-spectrum) through FileReader:
 * every CSV read with its header row gives exactly the records of its JSON; written back through
 * FileWriter and read again it gives the same records.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECT, runIn, useScratch } from './file-graphs.ts';

const SPECTRUM = resolve(import.meta.dirname, '../../../../shared/conformance/csv-spectrum');
const cases = readdirSync(resolve(SPECTRUM, 'csvs'))
  .filter((name) => name.endsWith('.csv') && name !== 'location_coordinates.csv')
  .map((name) => name.slice(0, -4))
  .sort();

function expectedRecords(name: string): Record<string, string>[] {
  return JSON.parse(readFileSync(resolve(SPECTRUM, 'json', `${name}.json`), 'utf8')) as Record<string, string>[];
}

/** A graph: phase 0 reads the CSV (and writes it back), phase 1 reads the written copy. */
function roundTripGraph(csv: string, fields: string[], readOptions = ''): string {
  const metadata = fields.map((field) => `${field}: string`).join(', ');
  return `
graph: spectrum
metadata:
  Row: { fields: { ${metadata} } }
components:
  read: { type: FileReader, file: ${JSON.stringify(csv)}, format: csv, metadata: Row ${readOptions} }
  copy: { type: SimpleCopy }
  first: { type: ${COLLECT} }
  write: { type: FileWriter, file: out/copy.csv, format: csv, makeDirs: true }
  reread: { type: FileReader, file: out/copy.csv, format: csv, metadata: Row, phase: 1 }
  second: { type: ${COLLECT}, phase: 1 }
edges:
  - { from: read, to: copy }
  - { from: copy:0, to: first }
  - { from: copy:1, to: write }
  - { from: reread, to: second }
`;
}

describe('csv-spectrum through FileReader and FileWriter', { timeout: 30_000 }, () => {
  const scratch = useScratch();

  it('covers the suite', () => {
    expect(cases.length).toBe(11);
  });

  for (const name of cases) {
    it(`${name}: reads exactly the expected records, and writes them back unchanged`, async () => {
      const expected = expectedRecords(name);
      const fields = Object.keys(expected[0]!);
      const { result, collected } = await runIn(scratch.dir, roundTripGraph(resolve(SPECTRUM, 'csvs', `${name}.csv`), fields));
      expect(result.error?.message).toBeUndefined();
      expect(collected.first).toEqual(expected);
      expect(collected.second).toEqual(expected);
    });
  }

  // location_coordinates is broken upstream (see the suite's README): its JSON is one object, not
  // an array, and its phone number (1234567890) is not the CSV's (2095257564). Its header names
  // have spaces, which are not field names, so it is read by position after skipping the header
  // row. Its coordinates cell holds bare `"` characters in an unquoted field, which RFC 4180 does
  // not allow: under strict that row fails (with the file named); under lenient the best-effort
  // value keeps the quotes as text — which is what the CSV really holds, checked here.
  const LOCATION = resolve(SPECTRUM, 'csvs', 'location_coordinates.csv');
  const fields = ['contact_phone_number', 'location_coordinates', 'cities', 'counties'];
  const holds = { contact_phone_number: '2095257564', location_coordinates: '37\uFFFD36\'37.8"N 121\uFFFD2\'17.9"W', cities: 'Modesto', counties: 'Stanislaus' };

  it('location_coordinates: lenient reads what the CSV holds, and it round-trips', async () => {
    const { result, collected } = await runIn(scratch.dir, roundTripGraph(LOCATION, fields, ', header: false, skipRows: 1, dataPolicy: lenient'));
    expect(result.error?.message).toBeUndefined();
    expect(collected.first).toEqual([holds]);
    expect(collected.second).toEqual([holds]);
  });

  it('location_coordinates: strict rejects the bare quotes, naming the file and the record', async () => {
    const { result } = await runIn(scratch.dir, roundTripGraph(LOCATION, fields, ', header: false, skipRows: 1'));
    expect(result.status).toBe('ERROR');
    expect(result.error?.code).toBe('TREFOIL_ERR_CSV_MALFORMED_ROW');
    expect(result.error?.message).toContain(`${LOCATION}: record 2`);
    expect(result.error?.message).toContain('quote character inside an unquoted field');
  });
});
