/**
 * Ordering keys for streamed JSONPath results, and the sorted queue that holds results until
 * RFC 9535 nodelist order lets them go.
 *
 * A result's key records the choices that produced it, segment by segment, so that sorting keys
 * lexicographically gives exactly the RFC 9535 nodelist order:
 *
 * ```
 * child segment [s0, s1, …] applied to input I   →  key(I) ++ [j, p]
 *     j = index of the selector that chose the child, p = its place in that selector's output
 *     (document position for names, wildcards, filters and forward slices; 0 for an index;
 *     −index for a backward slice)
 * descendant segment ..[…] applied to input I    →  key(I) ++ path(I → D) ++ [END, j, p]
 *     D = the visited descendant whose child was chosen; path = child positions from I to D;
 *     END (−1) sorts D's own results before those of D's descendants (pre-order)
 * ```
 *
 * A key that is a prefix of another sorts first. Keys are unique (document positions make even
 * repeated member names distinct), so a result may leave the queue once it is complete and no
 * result still to come can have a smaller key.
 */

/** Marks the end of a descendant path inside a key; smaller than any position. */
export const END_OF_PATH = -1;

export type NodelistKey = readonly number[];

/** Lexicographic comparison; a proper prefix is smaller. */
export function compareKeys(a: NodelistKey, b: NodelistKey): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Whether `prefix ++ extra` (with `extraCount` of `first`, `second` appended) is smaller than
 * `key`, without building the array.
 */
export function extendedKeyLessThan(prefix: NodelistKey, extraCount: 1 | 2 | 3, first: number, second: number, third: number, key: NodelistKey): boolean {
  const length = Math.min(prefix.length, key.length);
  for (let i = 0; i < length; i++) {
    if (prefix[i] !== key[i]) return prefix[i]! < key[i]!;
  }
  if (prefix.length > key.length) return false; // key is a proper prefix of ours
  let i = prefix.length;
  for (let e = 0; e < extraCount; e++, i++) {
    if (i === key.length) return false;
    const extra = e === 0 ? first : e === 1 ? second : third;
    if (extra !== key[i]) return extra < key[i]!;
  }
  return i < key.length;
}

/** Something waiting in the queue: ready when its value is known. */
export interface Queued {
  key: NodelistKey;
  ready: boolean;
}

/**
 * A queue kept sorted by key. New entries almost always go at the end (document order) or
 * near the front, so insertion checks the ends before a binary search; the front advances by
 * a head index (no `shift()` on a long array).
 */
export class SortedQueue<T extends Queued> {
  #items: T[] = [];
  /** Invariant: #items[0..#head) are already taken; the rest is sorted by key. */
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** The smallest entry, or undefined. */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** Removes and returns the smallest entry. */
  take(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head]!;
    (this.#items as (T | undefined)[])[this.#head] = undefined;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  insert(item: T): void {
    const items = this.#items;
    const last = items.length - 1;
    if (last < this.#head || compareKeys(items[last]!.key, item.key) < 0) {
      items.push(item);
      return;
    }
    if (this.#head > 0 && compareKeys(item.key, items[this.#head]!.key) < 0) {
      items[--this.#head] = item;
      return;
    }
    let low = this.#head;
    let high = items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys(items[mid]!.key, item.key) < 0) low = mid + 1;
      else high = mid;
    }
    items.splice(low, 0, item);
  }

  /** Removes a specific entry (by identity); returns whether it was there. */
  remove(item: T): boolean {
    const index = this.#items.indexOf(item, this.#head);
    if (index < 0) return false;
    if (index === this.#head) this.take();
    else this.#items.splice(index, 1);
    return true;
  }
}
