/**
 * CSV codec benchmark, with the peer libraries a user would otherwise pick as baselines in the
 * same process and run:
 *
 *   parse: CsvParser (64 KiB chunks, as fs streams deliver them)  vs  csv-parse/sync
 *   write: CsvWriter.formatRows (batches of 1024 rows)             vs  csv-stringify/sync
 *
 * on generated 10-column files: "mixed" (numbers, dates, text; about a third of the rows have a
 * quoted field with a comma, a doubled quote or a line break; about half hold non-ASCII text)
 * and "plain" (ASCII, no quotes). Throughput is input bytes per second of CPU time (user +
 * system), best of several alternating runs, so that other processes on the machine disturb it
 * less than wall time would.
 *
 * Run: `npx tsx test/bench/csv-codec-bench.ts [megabytes]` (default 40).
 * Not a vitest file: it takes tens of seconds and asserts nothing.
 *
 * Measured 2026-11 (Node 20.20, 2 vCPU Xeon shared with other jobs, load average 4–8, 30 MB):
 *   parse mixed  CsvParser 117 MB/s   csv-parse 12 MB/s       write mixed  191 vs 34 MB/s
 *   parse plain  CsvParser 143 MB/s   csv-parse 12 MB/s       write plain  171 vs 24 MB/s
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CsvParser } from '../../components/csv/csv-parser.ts';
import { CsvWriter } from '../../components/csv/csv-writer.ts';

const megabytes = Number(process.argv[2] ?? 40);
const CHUNK = 64 * 1024;
const ROUNDS = 5;

function generate(targetBytes: number, mixed: boolean): Buffer {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const notes = mixed
    ? ['alpha', 'beta', 'gamma', 'delta', 'Zürich', 'naïve', 'quote "this"', 'a, b', 'line\nbreak', '', 'Lorem ipsum dolor sit amet']
    : ['alpha', 'beta', 'gamma', 'delta', 'epsilon', '', 'Lorem ipsum dolor sit amet'];
  const cities = mixed ? ['Praha', 'Brno', 'Ostrava', 'München'] : ['Praha', 'Brno', 'Ostrava', 'Munich'];
  const lines = ['id,name,amount,date,flag,city,note,count,ratio,code\n'];
  let size = lines[0]!.length;
  for (let id = 1; size < targetBytes; id++) {
    const note = pick(notes);
    const quoted = /[",\n]/.test(note) ? `"${note.replaceAll('"', '""')}"` : note;
    const line =
      `${id},Customer ${Math.floor(random() * 100000)},${(random() * 10000).toFixed(2)},` +
      `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)},${random() < 0.5},${pick(cities)},${quoted},` +
      `${Math.floor(random() * 1000)},${random().toFixed(6)},${random() < 0.1 ? '' : `X${Math.floor(random() * 1e6)}`}\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join(''));
}

/** Best throughput over ROUNDS runs of each case, the cases alternating. */
function measure(bytes: number, cases: Record<string, () => number>): Record<string, number> {
  const best: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const before = process.cpuUsage();
      run();
      const used = process.cpuUsage(before);
      const seconds = (used.user + used.system) / 1e6;
      best[name] = Math.max(best[name] ?? 0, bytes / 1e6 / seconds);
    }
  }
  return best;
}

function report(title: string, results: Record<string, number>, ours: string, baseline: string): void {
  console.log(title);
  for (const [name, rate] of Object.entries(results)) console.log(`  ${name.padEnd(34)} ${rate.toFixed(1).padStart(7)} MB/s`);
  console.log(`  ratio ${ours} / ${baseline}: ${(results[ours]! / results[baseline]!).toFixed(2)}x`);
}

for (const mixed of [true, false]) {
  const input = generate(megabytes * 1e6, mixed);
  const label = mixed ? 'mixed' : 'plain';

  // Rows are counted and dropped, as a streaming reader hands them on and forgets them.
  let fieldCount = 0;
  const parseOurs = () => {
    let count = 0;
    const parser = new CsvParser((fields) => {
      count++;
      fieldCount += fields.length;
    });
    for (let offset = 0; offset < input.length; offset += CHUNK) parser.push(input.subarray(offset, offset + CHUNK));
    parser.end();
    return count;
  };
  const parseBaseline = () => {
    let count = 0;
    parse(input, {
      on_record: (record: string[]) => {
        count++;
        fieldCount += record.length;
        return null;
      },
    });
    return count;
  };
  const rowCount = parseOurs();
  if (rowCount !== parseBaseline()) throw new Error('CsvParser and csv-parse disagree on the row count');
  report(`parse ${label} (${(input.length / 1e6).toFixed(0)} MB, ${rowCount} rows)`, measure(input.length, {
    'csv-parse/sync (baseline)': parseBaseline,
    'CsvParser': parseOurs,
  }), 'CsvParser', 'csv-parse/sync (baseline)');

  const rows: (string | null)[][] = [];
  const collector = new CsvParser((fields) => rows.push(fields));
  collector.push(input);
  collector.end();
  const writer = new CsvWriter();
  const writeOurs = () => {
    let length = 0;
    for (let start = 0; start < rows.length; start += 1024) length += writer.formatRows(rows.slice(start, start + 1024)).length;
    return length;
  };
  const writeBaseline = () => {
    let length = 0;
    for (let start = 0; start < rows.length; start += 1024) length += stringify(rows.slice(start, start + 1024)).length;
    return length;
  };
  report(`write ${label}`, measure(input.length, {
    'csv-stringify/sync (baseline)': writeBaseline,
    'CsvWriter.formatRows': writeOurs,
  }), 'CsvWriter.formatRows', 'csv-stringify/sync (baseline)');
}
