/**
 * Sets of HTTP status codes written the way people say them: `404`, `"404"`, a class `"4xx"`,
 * a decade `"50x"`, or a range `"400-499"`. HTTPConnector's `failOnStatus` and `retry.statuses`
 * use them. A set is compiled once into a lookup table (status 100–999), so `has()` is one load.
 */

/** One entry as written in a graph. */
export type StatusPattern = number | string;

const PATTERN = /^\s*(?:(\d{3})(?:\s*-\s*(\d{3}))?|([1-9])xx|([1-9]\d)x)\s*$/i;

/** The statuses one entry stands for, as an inclusive range; throws a RangeError when it is not one. */
export function parseStatusPattern(pattern: StatusPattern): readonly [number, number] {
  const match = PATTERN.exec(String(pattern));
  if (match !== null) {
    let low: number;
    let high: number;
    if (match[1] !== undefined) {
      low = Number(match[1]);
      high = match[2] === undefined ? low : Number(match[2]);
    } else if (match[3] !== undefined) {
      low = Number(match[3]) * 100;
      high = low + 99;
    } else {
      low = Number(match[4]) * 10;
      high = low + 9;
    }
    if (low >= 100 && high <= 999 && low <= high) return [low, high];
  }
  throw new RangeError(
    `${JSON.stringify(pattern)} is not a status (404), a class (4xx), a decade (50x) or a range (400-499) of statuses 100-999`,
  );
}

/** A compiled set of statuses. */
export class StatusSet {
  /** `#table[status]` is 1 when the status is in the set. */
  readonly #table = new Uint8Array(1000);
  /** True when no status is in the set. */
  readonly empty: boolean;

  /** Throws a RangeError naming the first entry that is not a status pattern. */
  constructor(patterns: readonly StatusPattern[] = []) {
    for (const pattern of patterns) {
      const [low, high] = parseStatusPattern(pattern);
      this.#table.fill(1, low, high + 1);
    }
    this.empty = patterns.length === 0;
  }

  has(status: number): boolean {
    return this.#table[status] === 1;
  }

  /** Every status in the set, ascending. */
  toList(): number[] {
    const list: number[] = [];
    for (let status = 100; status < 1000; status++) if (this.#table[status] === 1) list.push(status);
    return list;
  }
}
