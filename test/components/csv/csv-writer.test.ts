/** CsvWriter: quoting rules, options, and that CsvParser reads back exactly what was written. */
import { describe, expect, it } from 'vitest';
import { CsvWriter } from '../../../components/csv/csv-writer.ts';
import { fieldsOf, parseText } from './parse-csv-chunks.ts';

describe('CsvWriter', () => {
  it('quotes only values holding the delimiter, the quote, CR or LF, and the empty string', () => {
    const writer = new CsvWriter();
    expect(writer.formatRow(['plain', ' spaced ', 'a,b', 'say "hi"', 'x\ny', 'x\rz', '', null])).toBe(
      'plain, spaced ,"a,b","say ""hi""","x\ny","x\rz","",\n',
    );
  });

  it('writes null as an empty unquoted field and "" quoted, so both read back faithfully', () => {
    const writer = new CsvWriter();
    const rows = [
      [null, '', 'a'],
      ['', null, null],
      [null],
      [''],
    ];
    const text = writer.formatRows(rows);
    expect(text).toBe(',"",a\n"",,\n\n""\n');
    expect(fieldsOf(parseText(text))).toEqual(rows);
  });

  it('quotes every non-null value with quoteAll', () => {
    expect(new CsvWriter({ quoteAll: true }).formatRow(['1', 'a"b', null, ''])).toBe('"1","a""b",,""\n');
  });

  it('writes a header row and CRLF line endings', () => {
    const writer = new CsvWriter({ lineEnding: '\r\n' });
    expect(writer.formatHeader(['id', 'full name', 'a,b']) + writer.formatRows([['1', 'x']])).toBe('id,full name,"a,b"\r\n1,x\r\n');
  });

  it('follows the delimiter and quote options, and their round trip', () => {
    const options = { delimiter: '||', quote: "'" };
    const writer = new CsvWriter(options);
    const rows = [["it's", 'a||b', 'a|b', '"x"', null, '']];
    const text = writer.formatRows(rows);
    expect(text).toBe("'it''s'||'a||b'||a|b||\"x\"||||''\n");
    expect(fieldsOf(parseText(text, options))).toEqual(rows);
    expect(new CsvWriter({ delimiter: '\\t' }).formatRow(['a', 'b\tc'])).toBe('a\t"b\tc"\n');
    // `a|` then `||` would read as `a` + `|b`: quoted.
    expect(new CsvWriter({ delimiter: '||' }).formatRow(['a|', 'b'])).toBe('"a|"||b\n');
  });

  it('with quoting off writes values as they are, and refuses values it cannot represent', () => {
    const writer = new CsvWriter({ quote: null });
    expect(writer.formatRow(['"a"', '', null])).toBe('"a",,\n');
    for (const value of ['a,b', 'a\nb', 'a\rb']) {
      expect(() => writer.formatRow(['ok', value])).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_CSV_UNQUOTABLE_VALUE' }));
    }
  });

  it('rejects invalid dialect options', () => {
    expect(() => new CsvWriter({ delimiter: '' })).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_CSV_OPTIONS' }));
    expect(() => new CsvWriter({ quote: 'ab' })).toThrow(expect.objectContaining({ code: 'TREFOIL_ERR_CSV_OPTIONS' }));
  });

  it('round-trips random values with every kind of special character', () => {
    const alphabet = ['a', ' ', ',', '"', '\r', '\n', '\r\n', 'é', '😀', ';', '|', "'"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const rows: (string | null)[][] = [];
    for (let r = 0; r < 300; r++) {
      const row: (string | null)[] = [];
      const width = 1 + Math.floor(next() * 6);
      for (let c = 0; c < width; c++) {
        if (next() < 0.15) {
          row.push(null);
          continue;
        }
        let value = '';
        const length = Math.floor(next() * 8);
        for (let k = 0; k < length; k++) value += alphabet[Math.floor(next() * alphabet.length)];
        row.push(value);
      }
      rows.push(row);
    }
    for (const options of [{}, { quoteAll: true }, { lineEnding: '\r\n' as const }, { delimiter: ';', quote: "'" }, { delimiter: '||' }, { delimiter: '|;|' }]) {
      const parsed = parseText(new CsvWriter(options).formatRows(rows), options);
      expect(parsed.every((row) => row.problem === null)).toBe(true);
      expect(fieldsOf(parsed)).toEqual(rows);
    }
  });
});
