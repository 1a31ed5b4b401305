/** CsvParser behaviour a FileReader user notices: values, line endings, BOM, options, malformed rows. */
import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../../components/csv/csv-parser.ts';
import { malformedRowError } from '../../../components/csv/csv-problem.ts';
import { TrefoilError } from '../../../engine/errors/trefoil-error.ts';
import { fieldsOf, parseChunks, parseText, splitAt } from './parse-csv-chunks.ts';

describe('CsvParser values', () => {
  it('reads an empty unquoted field as null and a quoted empty field as ""', () => {
    expect(fieldsOf(parseText('a,,"",b\n,\n'))).toEqual([
      ['a', null, '', 'b'],
      [null, null],
    ]);
  });

  it('keeps spaces, embedded delimiters, doubled quotes and line breaks of quoted fields', () => {
    expect(fieldsOf(parseText(' a , "b, c" ,"say ""hi""","x\ny\r\nz\rw"\n'))).toEqual([
      [' a ', ' "b', ' c" ', 'say "hi"', 'x\ny\r\nz\rw'],
    ]);
  });

  it('does not make a row of the final line break, but does of an empty line', () => {
    expect(fieldsOf(parseText('a\nb\n'))).toEqual([['a'], ['b']]);
    expect(fieldsOf(parseText('a\nb'))).toEqual([['a'], ['b']]);
    expect(fieldsOf(parseText('a\n\nb\n\n'))).toEqual([['a'], [null], ['b'], [null]]);
    expect(parseText('')).toEqual([]);
  });

  it('skips empty lines on request, still counting them in row numbers', () => {
    const rows = parseText('a\n\r\n\nb\n', { skipEmptyLines: true });
    expect(rows.map((row) => [row.rowNumber, row.fields])).toEqual([
      [1, ['a']],
      [4, ['b']],
    ]);
  });

  it('ends rows at LF, CRLF and a lone CR alike', () => {
    expect(fieldsOf(parseText('a,1\r\nb,2\nc,3\rd,4\r'))).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
    ]);
  });

  it('decodes UTF-8 text, characters split across chunks included', () => {
    const bytes = Buffer.from('č,€,😀\n"ʤ,x",ü\n', 'utf8');
    const expected = [
      ['č', '€', '😀'],
      ['ʤ,x', 'ü'],
    ];
    for (let point = 1; point < bytes.length; point++) expect(fieldsOf(parseChunks(splitAt(bytes, [point])))).toEqual(expected);
  });

  it('splits rows of text that is not valid UTF-8 at the right places (replacement characters)', () => {
    const latin1 = Buffer.from('Zürich,"Genève",1\n', 'latin1');
    expect(fieldsOf(parseChunks([latin1]))).toEqual([['Z\uFFFDrich', 'Gen\uFFFDve', '1']]);
  });

  it('reads rows with many columns', () => {
    const values = Array.from({ length: 1000 }, (_, k) => (k % 3 === 0 ? `"${k}"` : String(k)));
    const [row] = fieldsOf(parseText(values.join(',') + '\n'));
    expect(row).toHaveLength(1000);
    expect(row![999]).toBe('999');
  });

  it('hands each row a fresh fields array, and row numbers, offsets and original text', () => {
    const rows = parseText('id,name\r\n1,"multi\nline"\r\n2,€\r\n');
    expect(rows[0]!.fields).not.toBe(rows[1]!.fields);
    expect(rows.map((row) => [row.rowNumber, row.offset, row.originalText])).toEqual([
      [1, 0, 'id,name'],
      [2, 9, '1,"multi\nline"'],
      [3, 25, '2,€'],
    ]);
  });

  it('accepts plain Uint8Array chunks', () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n');
    expect(fieldsOf(parseChunks([bytes.subarray(0, 5), bytes.subarray(5)]))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('CsvParser BOM', () => {
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,x\n')]);

  it('strips a UTF-8 BOM by default, counting it in byte offsets', () => {
    const rows = parseChunks([withBom]);
    expect(rows.map((row) => [row.fields, row.offset])).toEqual([
      [['id', 'name'], 3],
      [['1', 'x'], 11],
    ]);
  });

  it('strips a BOM cut across chunks', () => {
    for (const points of [[1], [2], [1, 2], [3]]) {
      expect(fieldsOf(parseChunks(splitAt(withBom, points)))[0]).toEqual(['id', 'name']);
    }
  });

  it('keeps the BOM when told to, and strips only at the start of the input', () => {
    expect(fieldsOf(parseChunks([withBom], { stripBom: false }))[0]).toEqual(['\uFEFFid', 'name']);
    expect(fieldsOf(parseText('a\n\uFEFFb\n'))).toEqual([['a'], ['\uFEFFb']]);
  });

  it('reads a lone BOM, or part of one, sensibly', () => {
    expect(parseChunks([Buffer.from([0xef, 0xbb, 0xbf])])).toEqual([]);
    expect(fieldsOf(parseChunks([Buffer.from([0xef, 0xbb])]))).toEqual([['\uFFFD']]);
  });
});

describe('CsvParser dialect options', () => {
  it('reads other delimiters: semicolon, tab (also written \\t), multi-character', () => {
    expect(fieldsOf(parseText('a;"b;c";\n', { delimiter: ';' }))).toEqual([['a', 'b;c', null]]);
    expect(fieldsOf(parseText('a\t"b\tc"\n', { delimiter: '\t' }))).toEqual([['a', 'b\tc']]);
    expect(fieldsOf(parseText('a\tb\n', { delimiter: '\\t' }))).toEqual([['a', 'b']]);
    const bytes = Buffer.from('a::"b::c"::::d\n', 'utf8');
    for (let point = 1; point < bytes.length; point++) {
      expect(fieldsOf(parseChunks(splitAt(bytes, [point]), { delimiter: '::' }))).toEqual([['a', 'b::c', null, 'd']]);
    }
  });

  it('reads another quote character, or none', () => {
    expect(fieldsOf(parseText("'a,b','it''s',\"x\"\n", { quote: "'" }))).toEqual([['a,b', "it's", '"x"']]);
    const unquoted = parseText('"a,b",""\n', { quote: null });
    expect(fieldsOf(unquoted)).toEqual([['"a', 'b"', '""']]);
    expect(unquoted[0]!.problem).toBeNull();
    expect(fieldsOf(parseText('"a"\n', { quote: '' }))).toEqual([['"a"']]);
  });

  it('rejects options it cannot parse with TREFOIL_ERR_CSV_OPTIONS', () => {
    const handler = () => {};
    for (const options of [{ delimiter: '' }, { delimiter: '\n' }, { delimiter: 'a\rb' }, { delimiter: ',"' }, { quote: '""' }, { quote: '“' }, { quote: '\n' }]) {
      expect(() => new CsvParser(handler, options), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: 'TREFOIL_ERR_CSV_OPTIONS' }),
      );
    }
  });
});

describe('CsvParser malformed rows', () => {
  it('reports a quote inside an unquoted field, keeping it as text', () => {
    const rows = parseText('a,b\n1,12" disk,x\n2,ok\n');
    expect(rows[1]).toMatchObject({
      fields: ['1', '12" disk', 'x'],
      originalText: '1,12" disk,x',
      problem: { kind: 'quote-in-unquoted-field', rowNumber: 2, fieldIndex: 1, offset: 8 },
    });
    expect(rows[1]!.problem!.message).toBe('malformed CSV row 2, field 2: quote character inside an unquoted field (byte offset 8)');
    expect(rows[0]!.problem).toBeNull();
    expect(rows[2]!.problem).toBeNull();
  });

  it('reports text after a closing quote, appending it to the value', () => {
    const rows = parseText('€,"ab"cd"e,f\n');
    expect(rows[0]).toMatchObject({
      fields: ['€', 'abcd"e', 'f'],
      problem: { kind: 'text-after-closing-quote', rowNumber: 1, fieldIndex: 1, offset: 8 },
    });
  });

  it('reports a quote never closed, giving the field the rest of the input', () => {
    const rows = parseText('a,b\n1,"open\n2,3\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      fields: ['1', 'open\n2,3\n'],
      originalText: '1,"open\n2,3\n',
      problem: { kind: 'unterminated-quote', rowNumber: 2, fieldIndex: 1, offset: 6 },
    });
  });

  it('reports only the first problem of a row', () => {
    const [row] = parseText('a"b,"c"d\n');
    expect(row!.problem).toMatchObject({ kind: 'quote-in-unquoted-field', fieldIndex: 0 });
    expect(row!.fields).toEqual(['a"b', 'cd']);
  });

  it('lets a strict reader fail with a coded error naming the row and offset', () => {
    const parser = new CsvParser((_fields, row) => {
      if (row.problem) throw malformedRowError(row.problem, { file: 'in.csv' });
    });
    let caught: unknown;
    try {
      parser.push(Buffer.from('a\n"b"x\n'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TrefoilError);
    expect(caught).toMatchObject({
      code: 'TREFOIL_ERR_CSV_MALFORMED_ROW',
      location: { file: 'in.csv', recordNo: 2, offset: 5 },
    });
  });

  it('lets a controlled reader route the original text and continue', () => {
    const good: (string | null)[][] = [];
    const bad: string[] = [];
    const parser = new CsvParser((fields, row) => {
      if (row.problem) bad.push(row.originalText());
      else good.push(fields);
    });
    parser.push(Buffer.from('1,a\n2,b"c\n3,"d"\n'));
    parser.end();
    expect(good).toEqual([
      ['1', 'a'],
      ['3', 'd'],
    ]);
    expect(bad).toEqual(['2,b"c']);
  });
});

describe('CsvParser streaming', () => {
  it('delivers complete rows as soon as they arrive, and the last one at end()', () => {
    const seen: (string | null)[][] = [];
    const parser = new CsvParser((fields) => seen.push(fields));
    parser.push(Buffer.from('a,b\n1,'));
    expect(seen).toEqual([['a', 'b']]);
    parser.push(Buffer.from('2'));
    parser.end();
    expect(seen).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parser.rowCount).toBe(2);
    expect(() => parser.push(Buffer.from('x'))).toThrow();
  });

  it('parses a multi-megabyte quoted field arriving in small chunks in linear time', () => {
    const big = 'x'.repeat(4 * 1024 * 1024);
    const bytes = Buffer.from(`1,"${big}"\n2,y\n`);
    const chunks = splitAt(bytes, Array.from({ length: Math.floor(bytes.length / 1024) }, (_, k) => (k + 1) * 1024));
    const started = performance.now();
    const rows = parseChunks(chunks);
    // Re-scanning the kept row from its start at every 1 KiB chunk would be ~8 GB of scanning.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(rows.map((row) => row.fields[0])).toEqual(['1', '2']);
    expect(rows[0]!.fields[1]).toHaveLength(big.length);
  });
});
