/**
 * Streams a JSON document through a tree of JSONPath selects (the shape of JSONExtract's
 * `mapping`) and calls back with every match, materialized, in the order CloverDX users expect:
 *
 * - a match is reported when it closes, after the matches of its `children` selects (which are
 *   evaluated on the match's value, relative to it, and so can read all of it);
 * - the matches of one top-level select come in RFC 9535 nodelist order, duplicates included
 *   (`$[1,0]` reports element 1 before element 0; `$[0,0]` reports element 0 twice; `$..a`
 *   reports an outer `a` before the `a`s inside it). A match that closes before an earlier one
 *   in that order waits, holding its value, until it may go;
 * - nothing is materialized except matches and what `describeStreaming` lists for the query
 *   (matches RFC order makes wait inside an enclosing object, filter candidates, array elements a
 *   negative index may select, or the whole document when a filter uses `$`). Values the selects
 *   cannot reach are skipped by the parser without being decoded. Memory is therefore bounded by
 *   the largest match for the queries `describeStreaming` says stream.
 *
 * Values reported may share structure (an outer match contains an inner one, a duplicate is the
 * same object): treat them as read-only.
 *
 * ```
 * how a node's place in the document turns into results
 *
 *   parent frame ──states──▶ derive(child) ──▶ child frame states   (streaming continues)
 *                                        ├──▶ match entry           (waits for the child's value)
 *                                        ├──▶ filter candidate      (decided when the child closes)
 *                                        └──▶ held element          (decided when the array closes)
 *   entries wait in one queue per select, sorted by nodelist key (nodelist-order.ts), and leave
 *   when complete and no result still to come can sort before them.
 * ```
 */
import type { JsonEventHandler } from './json-event-handler.ts';
import { JsonValueBuilder } from './json-value-builder.ts';
import type { JsonScalar, JsonValue } from './json-value.ts';
import { compileExtraction, type CompiledExtraction, type CompiledSelect, type ExtractionSelect } from './extraction-plan.ts';
import type { IndexSelector, JsonPathSegment, JsonPathSelector, LogicalExpression, SliceSelector } from './jsonpath/ast.ts';
import { applySegments, evaluate, testFilter } from './jsonpath/evaluate.ts';
import { JsonPathNode, type PathSegment } from './jsonpath/json-path-node.ts';
import { sliceSelects } from './jsonpath/slice-indices.ts';
import { END_OF_PATH, extendedKeyLessThan, SortedQueue, type NodelistKey, type Queued } from './nodelist-order.ts';
import { isLengthDependent } from './streaming-behaviour.ts';
import { StreamingJsonParser } from './streaming-json-parser.ts';

/** One match, as reported to the callback. */
export interface ExtractedMatch<T> {
  /** The `tag` of the select that matched. */
  readonly tag: T;
  /** The matched value, complete (read-only; may be shared with other matches). */
  readonly value: JsonValue;
  /** The parent select's match this one was found in; null for a top-level select. */
  readonly parent: ExtractedMatch<T> | null;
  /** 1-based position among the matches of the same select within the same parent (or the document). */
  readonly position: number;
  /** Member names and indices from the document root, when the `paths` option is on; else null. */
  readonly path: readonly PathSegment[] | null;
}

export interface StreamingExtractorOptions {
  /**
   * Source name for error messages (file name, URL, record).
   * @default 'JSON document'
   */
  readonly source?: string;
  /**
   * Report each match's location in `path` (costs an array per match).
   * @default false
   */
  readonly paths?: boolean;
}

/** Called synchronously for each match; may throw to abort (the error leaves `write`/`end`). */
export type MatchCallback<T> = (match: ExtractedMatch<T>) => void;

/** Derivation states a node carries for one select. */
const INPUT = 0; // the node is an input to segment `segment` (a child segment)
const VISIT = 1; // the node is visited by descendant segment `segment`

class State {
  readonly select: SelectRun<unknown>;
  readonly kind: typeof INPUT | typeof VISIT;
  readonly segment: number;
  /** INPUT: the node's key. VISIT: the path key of this visited node (deeper visits extend it). */
  readonly key: NodelistKey;
  /** Prefix of the keys of results chosen among this node's children: `key`, or `key ++ [END_OF_PATH]` for VISIT. */
  readonly base: NodelistKey;

  constructor(select: SelectRun<unknown>, kind: typeof INPUT | typeof VISIT, segment: number, key: NodelistKey) {
    this.select = select;
    this.kind = kind;
    this.segment = segment;
    this.key = key;
    this.base = kind === VISIT ? [...key, END_OF_PATH] : key;
  }
}

/** What an entry of a select's queue stands for. */
const MATCH = 0; // a match: ready when its node closes
const FILTER_CANDIDATE = 1; // a child a filter selector tests when it closes
const HELD_ELEMENT = 2; // an array element a length-dependent selector may choose; decided by its array (not queued)
const PLACEHOLDER = 3; // stands in the queue for a group of held elements not yet decided
const WHOLE_DOCUMENT = 4; // the whole document, for a select whose filters use `$`
type EntryKind = typeof MATCH | typeof FILTER_CANDIDATE | typeof HELD_ELEMENT | typeof PLACEHOLDER | typeof WHOLE_DOCUMENT;

class Entry implements Queued {
  key: NodelistKey;
  ready = false;
  value: JsonValue = null;
  readonly kind: EntryKind;
  readonly select: SelectRun<unknown>;
  readonly path: PathSegment[] | null;
  /** FilterCandidate: the filter. */
  expression: LogicalExpression | null = null;
  /** FilterCandidate / HeldElement: the segment that follows the choosing selector. */
  nextSegment = 0;
  /** HeldElement: the element's index. */
  position = 0;

  constructor(kind: EntryKind, select: SelectRun<unknown>, key: NodelistKey, path: PathSegment[] | null) {
    this.kind = kind;
    this.select = select;
    this.key = key;
    this.path = path;
  }
}

/** Elements of one array that one length-dependent selector (`[-1]`, `[-3:]`, `[::-1]`) may choose. */
class HeldGroup {
  readonly state: State;
  readonly selector: IndexSelector | SliceSelector;
  readonly selectorIndex: number;
  /** Key prefix of the group's results (then selectorIndex, then the element's place). */
  readonly base: NodelistKey;
  readonly placeholder: Entry;
  /** Candidates in index order; [0..#front) are settled. */
  readonly candidates: Entry[] = [];
  front = 0;

  constructor(state: State, selector: IndexSelector | SliceSelector, selectorIndex: number, base: NodelistKey) {
    this.state = state;
    this.selector = selector;
    this.selectorIndex = selectorIndex;
    this.base = base;
    this.placeholder = new Entry(PLACEHOLDER, state.select, [...base, selectorIndex], null);
  }
}

/** An open container that carries states or awaits its value. */
class Frame {
  readonly isArray: boolean;
  readonly states: readonly State[];
  readonly closers: Entry[] | null;
  /** This node's name or index in its parent (null for the root). */
  readonly segment: PathSegment | null;
  held: HeldGroup[] | null = null;
  /** Children started so far (the next child's index). */
  childCount = 0;
  /** Objects: the name of the member being read. */
  name = '';
  /** True when the value capture started at this node. */
  captureRoot = false;
  /** Capture roots that are objects: the members anything reads; null = all. */
  members: ReadonlySet<string> | null = null;

  constructor(isArray: boolean, states: readonly State[], closers: Entry[] | null, segment: PathSegment | null) {
    this.isArray = isArray;
    this.states = states;
    this.closers = closers;
    this.segment = segment;
  }
}

/** Per top-level select: its queue and counters. */
class SelectRun<T> {
  readonly compiled: CompiledSelect<T>;
  readonly segments: readonly JsonPathSegment[];
  readonly wholeDocument: boolean;
  readonly queue = new SortedQueue<Entry>();
  emitted = 0;

  constructor(compiled: CompiledSelect<T>) {
    this.compiled = compiled;
    this.segments = compiled.query.segments;
    this.wholeDocument = compiled.behaviour.holds.includes('document');
  }
}

const NO_STATES: readonly State[] = [];

/**
 * Extracts matches from one JSON document fed in chunks.
 *
 * @example
 * const plan = compileExtraction([{ select: '$.orders[*]', tag: 'order', children: [{ select: '$.items[*]', tag: 'item' }] }]);
 * const extractor = new StreamingJsonExtractor(plan, (m) => records.push(m), { source: 'orders.json' });
 * for await (const chunk of stream) extractor.write(chunk);
 * extractor.end();
 */
export class StreamingJsonExtractor<T> {
  readonly #parser: StreamingJsonParser;
  readonly #builder = new JsonValueBuilder();
  readonly #selects: SelectRun<T>[];
  readonly #onMatch: MatchCallback<T>;
  readonly #trackPaths: boolean;

  /** Open frames, root first. Every ancestor of a node with states has states, so frames form a prefix of the open path. */
  readonly #frames: Frame[] = [];
  /** Open containers above the last frame that carry nothing (inside a capture, or not skipped). */
  #inertDepth = 0;
  /** True while the builder materializes (between the start and end of the outermost captured node). */
  #capturing = false;

  // The current derivation's output (reset per child).
  #derivedStates: State[] | null = null;
  #derivedClosers: Entry[] | null = null;

  /**
   * @param extraction a compiled mapping tree (compile once, reuse per document), or the tree itself.
   * @param onMatch called synchronously for every match, children before their parent.
   */
  constructor(extraction: CompiledExtraction<T> | readonly ExtractionSelect<T>[], onMatch: MatchCallback<T>, options: StreamingExtractorOptions = {}) {
    const compiled = 'selects' in extraction ? extraction : compileExtraction(extraction);
    this.#selects = compiled.selects.map((select) => new SelectRun(select));
    this.#onMatch = onMatch;
    this.#trackPaths = options.paths ?? false;
    this.#parser = new StreamingJsonParser(this.#events, options.source === undefined ? {} : { source: options.source });
  }

  /**
   * Feeds the next chunk; matches that complete in it are reported before this returns.
   * @throws TrefoilError for invalid JSON (with the byte offset), or whatever `onMatch` throws.
   */
  write(chunk: Uint8Array): void {
    this.#parser.write(chunk);
  }

  /**
   * Read inside the match callback: the byte offset just past the value whose end released the
   * match. For selects that stream this is the end of the match itself (one past its closing
   * bracket, quote or last digit); a match that waited for an earlier one in RFC 9535 order is
   * released by a later value; a `children` match is released with its parent, so it is the
   * parent's end.
   */
  get offset(): number {
    return this.#parser.valueEnd;
  }

  /**
   * Ends the document; reports any remaining matches.
   * @throws TrefoilError `TREFOIL_ERR_JSON_TRUNCATED` when the document is incomplete.
   */
  end(): void {
    this.#parser.end();
    for (const select of this.#selects) {
      this.#drain(select);
      if (select.queue.size > 0) throw new Error('internal: streaming extractor finished with undecided results');
    }
  }

  // ---- parser events -------------------------------------------------------------------------

  /** The parser's handler; kept private so the extractor's public surface is write/end only. */
  readonly #events: JsonEventHandler = {
    onStartObject: () => this.#beginContainer(false),
    onStartArray: () => this.#beginContainer(true),
    onEndObject: () => this.#endContainer(),
    onEndArray: () => this.#endContainer(),
    onKey: (name) => this.#key(name),
    onScalar: (value) => this.#scalar(value),
    onSkippedValue: () => this.#skipped(),
  };

  #key(name: string): void {
    if (this.#capturing) this.#builder.key(name);
    if (this.#inertDepth > 0) return;
    const frame = this.#frames[this.#frames.length - 1]!;
    frame.name = name;
    if (this.#capturing) {
      if (frame.members !== null && !frame.members.has(name) && !this.#mayDeriveChild(frame, frame.childCount)) this.#parser.skipNextValue();
    } else if (!this.#mayDeriveChild(frame, frame.childCount)) {
      this.#parser.skipNextValue();
    }
  }

  #scalar(value: JsonScalar): void {
    if (this.#capturing) this.#builder.scalar(value);
    if (this.#inertDepth > 0) return;
    const parent = this.#frames[this.#frames.length - 1];
    this.#derive(parent, false);
    const closers = this.#derivedClosers;
    if (closers !== null) for (const entry of closers) this.#complete(entry, value);
    this.#afterChild(parent);
  }

  #skipped(): void {
    const parent = this.#frames[this.#frames.length - 1]!;
    this.#childStarted(parent);
    this.#afterChild(parent);
  }

  // ---- structure -----------------------------------------------------------------------------

  #beginContainer(isArray: boolean): void {
    if (this.#inertDepth > 0) {
      this.#inertDepth++;
      if (this.#capturing) this.#startBuilding(isArray);
      return;
    }
    const parent = this.#frames[this.#frames.length - 1];
    const segment = parent === undefined ? null : parent.isArray ? parent.childCount : parent.name;
    this.#derive(parent, true);
    const states = this.#derivedStates;
    const closers = this.#derivedClosers;
    if (states === null && closers === null) {
      this.#inertDepth = 1;
      if (this.#capturing) this.#startBuilding(isArray);
      this.#drainReady();
      return;
    }
    const frame = new Frame(isArray, states ?? NO_STATES, closers, segment);
    this.#frames.push(frame);
    if (closers !== null && !this.#capturing) {
      this.#capturing = true;
      frame.captureRoot = true;
      if (!isArray) frame.members = projectedMembers(closers);
    }
    if (this.#capturing) this.#startBuilding(isArray);
    if (isArray && states !== null) frame.held = this.#createHeldGroups(states);
    if (isArray && !this.#capturing && !this.#mayDeriveChild(frame, 0)) this.#parser.skipNextValue();
    this.#drainReady();
  }

  #startBuilding(isArray: boolean): void {
    if (isArray) this.#builder.startArray();
    else this.#builder.startObject();
  }

  #endContainer(): void {
    const value = this.#capturing ? this.#builder.endContainer() : null;
    if (this.#inertDepth > 0) {
      if (--this.#inertDepth === 0) this.#afterChild(this.#frames[this.#frames.length - 1]);
      return;
    }
    const frame = this.#frames.pop()!;
    if (frame.captureRoot) {
      this.#capturing = false;
      this.#builder.takeResult();
    }
    if (frame.held !== null) for (const group of frame.held) this.#decideGroup(group, frame.childCount);
    if (frame.closers !== null) for (const entry of frame.closers) this.#complete(entry, value!);
    this.#afterChild(this.#frames[this.#frames.length - 1]);
  }

  /** After a child of `parent` ended: plan to skip the next element if nothing can use it. */
  #afterChild(parent: Frame | undefined): void {
    if (parent !== undefined && parent.isArray && !this.#capturing && !this.#mayDeriveChild(parent, parent.childCount)) {
      this.#parser.skipNextValue();
    }
    this.#drainReady();
  }

  /** Counts a new child of `parent` and settles held elements the new length decides. */
  #childStarted(parent: Frame): number {
    const position = parent.childCount++;
    if (parent.held !== null) for (const group of parent.held) this.#advanceGroup(group, position + 1);
    return position;
  }

  // ---- derivation ----------------------------------------------------------------------------

  /** Computes what the child starting now (of `parent`, or the root) carries, into #derived*. */
  #derive(parent: Frame | undefined, isContainer: boolean): void {
    this.#derivedStates = null;
    this.#derivedClosers = null;
    if (parent === undefined) {
      for (const select of this.#selects) {
        if (select.wholeDocument) {
          const entry = new Entry(WHOLE_DOCUMENT, select, [], null);
          select.queue.insert(entry);
          this.#addCloser(entry);
        } else {
          this.#addInput(select, 0, [], isContainer, null);
        }
      }
      return;
    }
    const position = this.#childStarted(parent);
    if (parent.states.length === 0) return;
    const childSegment: PathSegment = parent.isArray ? position : parent.name;
    for (const state of parent.states) {
      const select = state.select;
      if (state.kind === VISIT && isContainer) this.#addState(new State(select, VISIT, state.segment, [...state.key, position]));
      const selectors = select.segments[state.segment]!.selectors;
      for (let j = 0; j < selectors.length; j++) {
        this.#applySelector(state, selectors[j]!, j, state.base, parent, position, childSegment, isContainer);
      }
    }
  }

  #applySelector(state: State, selector: JsonPathSelector, j: number, base: NodelistKey, parent: Frame, position: number, childSegment: PathSegment, isContainer: boolean): void {
    const select = state.select;
    const next = state.segment + 1;
    switch (selector.kind) {
      case 'name':
        if (!parent.isArray && parent.name === selector.name) this.#addInput(select, next, [...base, j, position], isContainer, childSegment);
        return;
      case 'wildcard':
        this.#addInput(select, next, [...base, j, position], isContainer, childSegment);
        return;
      case 'index':
        if (!parent.isArray) return;
        if (selector.index >= 0) {
          if (selector.index === position) this.#addInput(select, next, [...base, j, 0], isContainer, childSegment);
        } else {
          this.#holdElement(state, j, parent, position, childSegment);
        }
        return;
      case 'slice':
        if (!parent.isArray) return;
        if (isLengthDependent(selector)) this.#holdElement(state, j, parent, position, childSegment);
        else if (forwardSliceSelects(selector, position)) this.#addInput(select, next, [...base, j, position], isContainer, childSegment);
        return;
      case 'filter': {
        const entry = new Entry(FILTER_CANDIDATE, select, [...base, j, position], this.#pathTo(childSegment));
        entry.expression = selector.expression;
        entry.nextSegment = next;
        select.queue.insert(entry);
        this.#addCloser(entry);
        return;
      }
    }
  }

  /** The child is an input to segment `k` (a match when `k` is past the last segment). */
  #addInput(select: SelectRun<unknown>, k: number, key: NodelistKey, isContainer: boolean, childSegment: PathSegment | null): void {
    const segments = select.segments;
    if (k === segments.length) {
      const entry = new Entry(MATCH, select, key, this.#pathTo(childSegment));
      select.queue.insert(entry);
      this.#addCloser(entry);
    } else if (isContainer) {
      // A scalar has no children, so further segments select nothing from it.
      this.#addState(new State(select, segments[k]!.descendant ? VISIT : INPUT, k, key));
    }
  }

  #addState(state: State): void {
    (this.#derivedStates ??= []).push(state);
  }

  #addCloser(entry: Entry): void {
    (this.#derivedClosers ??= []).push(entry);
  }

  /** The location of the child being derived (null unless paths are tracked). */
  #pathTo(childSegment: PathSegment | null): PathSegment[] | null {
    if (!this.#trackPaths) return null;
    const path: PathSegment[] = [];
    for (const frame of this.#frames) if (frame.segment !== null) path.push(frame.segment);
    if (childSegment !== null) path.push(childSegment);
    return path;
  }

  /** Whether the child at `position` (named `frame.name` in an object) can carry anything. */
  #mayDeriveChild(frame: Frame, position: number): boolean {
    for (const state of frame.states) {
      if (state.kind === VISIT) return true;
      for (const selector of state.select.segments[state.segment]!.selectors) {
        switch (selector.kind) {
          case 'wildcard':
          case 'filter':
            return true;
          case 'name':
            if (!frame.isArray && frame.name === selector.name) return true;
            break;
          case 'index':
            if (frame.isArray && (selector.index < 0 || selector.index === position)) return true;
            break;
          case 'slice':
            if (frame.isArray && (isLengthDependent(selector) || forwardSliceSelects(selector, position))) return true;
            break;
        }
      }
    }
    return false;
  }

  // ---- held elements (length-dependent selectors) --------------------------------------------

  #createHeldGroups(states: readonly State[]): HeldGroup[] | null {
    let groups: HeldGroup[] | null = null;
    for (const state of states) {
      const selectors = state.select.segments[state.segment]!.selectors;
      for (let j = 0; j < selectors.length; j++) {
        const selector = selectors[j]!;
        if ((selector.kind === 'index' || selector.kind === 'slice') && isLengthDependent(selector)) {
          const group = new HeldGroup(state, selector, j, state.base);
          state.select.queue.insert(group.placeholder);
          (groups ??= []).push(group);
        }
      }
    }
    return groups;
  }

  #holdElement(state: State, j: number, parent: Frame, position: number, childSegment: PathSegment): void {
    const group = parent.held?.find((g) => g.state === state && g.selectorIndex === j);
    if (group === undefined || !couldSelect(group.selector, position, position + 1)) return;
    const entry = new Entry(HELD_ELEMENT, state.select, [...group.base, j, placeInSelection(group.selector, position)], this.#pathTo(childSegment));
    entry.position = position;
    entry.nextSegment = state.segment + 1;
    group.candidates.push(entry);
    this.#addCloser(entry);
  }

  /** The array now has at least `minLength` elements: drop or accept the earliest candidates. */
  #advanceGroup(group: HeldGroup, minLength: number): void {
    const { candidates, selector } = group;
    while (group.front < candidates.length) {
      const candidate = candidates[group.front]!;
      if (!couldSelect(selector, candidate.position, minLength)) {
        candidates[group.front++] = undefined!;
      } else if (candidate.ready && mustSelect(selector, candidate.position, minLength)) {
        candidates[group.front++] = undefined!;
        this.#accept(candidate, candidate.value);
      } else {
        break;
      }
    }
    if (group.front > 64 && group.front * 2 > candidates.length) {
      candidates.splice(0, group.front);
      group.front = 0;
    }
    // A forward slice settles in index order: results below the first open candidate may go.
    if (selector.kind === 'slice' && (selector.step ?? 1) > 0) {
      const place = group.front < candidates.length ? candidates[group.front]!.position : minLength;
      const queue = group.state.select.queue;
      queue.remove(group.placeholder);
      group.placeholder.key = [...group.base, group.selectorIndex, place];
      queue.insert(group.placeholder);
    }
  }

  /** The array closed with `length` elements: decide every remaining candidate. */
  #decideGroup(group: HeldGroup, length: number): void {
    const { candidates, selector } = group;
    for (let i = group.front; i < candidates.length; i++) {
      const candidate = candidates[i]!;
      const chosen = selector.kind === 'index' ? candidate.position === length + selector.index : sliceSelects(selector, candidate.position, length);
      if (chosen) this.#accept(candidate, candidate.value);
    }
    candidates.length = 0;
    group.front = 0;
    group.state.select.queue.remove(group.placeholder);
  }

  // ---- results -------------------------------------------------------------------------------

  /** A node closed with `value`: complete or decide what waited for it. */
  #complete(entry: Entry, value: JsonValue): void {
    switch (entry.kind) {
      case MATCH:
        entry.value = value;
        entry.ready = true;
        return;
      case FILTER_CANDIDATE:
        if (testFilter(entry.expression!, value, value)) {
          entry.select.queue.remove(entry);
          this.#accept(entry, value);
        } else {
          entry.select.queue.remove(entry);
        }
        return;
      case HELD_ELEMENT:
        entry.value = value;
        entry.ready = true;
        return;
      case WHOLE_DOCUMENT: {
        const select = entry.select;
        select.queue.remove(entry);
        const nodes = evaluate(select.compiled.query, value);
        for (let i = 0; i < nodes.length; i++) {
          const result = new Entry(MATCH, select, [i], this.#trackPaths ? nodes[i]!.path : null);
          result.value = nodes[i]!.value;
          result.ready = true;
          select.queue.insert(result);
        }
        return;
      }
      case PLACEHOLDER:
        return;
    }
  }

  /**
   * A candidate (closed, with `value`) was chosen by its selector: it is a match, or the input
   * of the remaining segments, which run on its value in memory.
   */
  #accept(candidate: Entry, value: JsonValue): void {
    const select = candidate.select;
    if (candidate.nextSegment === select.segments.length) {
      const match = new Entry(MATCH, select, candidate.key, candidate.path);
      match.value = value;
      match.ready = true;
      select.queue.insert(match);
      return;
    }
    const nodes = applySegments(select.segments, candidate.nextSegment, [new JsonPathNode(value, null, null)], value);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const path = candidate.path === null ? null : [...candidate.path, ...node.path];
      const match = new Entry(MATCH, select, [...candidate.key, i], path);
      match.value = node.value;
      match.ready = true;
      select.queue.insert(match);
    }
  }

  #drainReady(): void {
    for (const select of this.#selects) {
      const head = select.queue.peek();
      if (head !== undefined && head.ready) this.#drain(select);
    }
  }

  /** Reports every match at the front of the queue that nothing still to come can precede. */
  #drain(select: SelectRun<T>): void {
    const queue = select.queue;
    for (let head = queue.peek(); head !== undefined && head.ready && !this.#blocked(select, head.key); head = queue.peek()) {
      queue.take();
      select.emitted++;
      const match: ExtractedMatch<T> = { tag: select.compiled.tag, value: head.value, parent: null, position: select.emitted, path: head.path };
      head.value = null;
      this.#report(select.compiled, match);
    }
  }

  /** Reports the matches of `select`'s children inside `match` (recursively, children first), then `match`. */
  #report(select: CompiledSelect<T>, match: ExtractedMatch<T>): void {
    for (const child of select.children) {
      const nodes = evaluate(child.query, match.value);
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i]!;
        const path = match.path === null ? null : [...match.path, ...node.path];
        this.#report(child, { tag: child.tag, value: node.value, parent: match, position: i + 1, path });
      }
    }
    this.#onMatch(match);
  }

  /** Whether a result still to come (from an open node's future children) could sort before `key`. */
  #blocked(select: SelectRun<T>, key: NodelistKey): boolean {
    for (const frame of this.#frames) {
      for (const state of frame.states) {
        if (state.select === select && futureResultPrecedes(state, frame, key)) return true;
      }
    }
    return false;
  }
}

/**
 * The members the matches closing at a capture root read (see `ExtractionSelect.members`), or
 * null when any of them needs the whole value (no projection, or a filter candidate, a held
 * element, the whole document: their values are evaluated further).
 */
function projectedMembers(closers: readonly Entry[]): ReadonlySet<string> | null {
  let members: Set<string> | null = null;
  for (const entry of closers) {
    const wanted = entry.kind === MATCH ? entry.select.compiled.members : null;
    if (wanted === null) return null;
    if (closers.length === 1) return wanted;
    members ??= new Set();
    for (const name of wanted) members.add(name);
  }
  return members;
}

/** Whether a child not yet started of `frame` could give `state` a result sorting before `key`. */
function futureResultPrecedes(state: State, frame: Frame, key: NodelistKey): boolean {
  const next = frame.childCount;
  const selectors = state.select.segments[state.segment]!.selectors;
  for (let j = 0; j < selectors.length; j++) {
    const place = firstFuturePlace(selectors[j]!, frame, next);
    if (place < 0) continue;
    // Selectors are in key order: the first one that can still choose gives the smallest key.
    return state.kind === INPUT ? extendedKeyLessThan(state.key, 2, j, place, 0, key) : extendedKeyLessThan(state.key, 3, END_OF_PATH, j, place, key);
  }
  // A descendant segment also visits every future child.
  return state.kind === VISIT && extendedKeyLessThan(state.key, 1, next, 0, 0, key);
}

/**
 * The smallest place a selector could give a child at index ≥ `next`; −1 when it can choose no
 * future child (or a held group's placeholder already stands for its choices).
 */
function firstFuturePlace(selector: JsonPathSelector, frame: Frame, next: number): number {
  switch (selector.kind) {
    case 'name':
      return frame.isArray ? -1 : next; // a repeated member name is a new node
    case 'wildcard':
    case 'filter':
      return next;
    case 'index':
      return frame.isArray && selector.index >= next ? 0 : -1;
    case 'slice': {
      if (!frame.isArray || isLengthDependent(selector)) return -1;
      const start = selector.start ?? 0;
      const step = selector.step ?? 1;
      if (step === 0) return -1;
      const first = next <= start ? start : start + Math.ceil((next - start) / step) * step;
      return selector.end !== null && first >= selector.end ? -1 : first;
    }
  }
}

/** A slice with step > 0 and non-negative bounds chooses `position` regardless of the length. */
function forwardSliceSelects(slice: SliceSelector, position: number): boolean {
  const step = slice.step ?? 1;
  const start = slice.start ?? 0;
  if (step <= 0 || position < start || (position - start) % step !== 0) return false;
  return slice.end === null || position < slice.end;
}

/** The element's place within the selector's output (its key component). */
function placeInSelection(selector: IndexSelector | SliceSelector, position: number): number {
  if (selector.kind === 'index') return 0;
  return (selector.step ?? 1) > 0 ? position : -position;
}

/**
 * Whether some array length ≥ `minLength` makes a length-dependent selector choose `position`
 * (conservative: true when unsure). Monotone in `position`, so settling the earliest first works.
 */
function couldSelect(selector: IndexSelector | SliceSelector, position: number, minLength: number): boolean {
  if (selector.kind === 'index') return position - selector.index >= minLength; // length = position + |index|
  const step = selector.step ?? 1;
  if (step > 0) {
    const start = selector.start ?? 0;
    if (start >= 0) return position >= start && (position - start) % step === 0;
    return minLength <= position - start; // the lower bound length+start must not pass position
  }
  return selector.start === null || selector.start < 0 || position <= selector.start;
}

/** Whether every array length ≥ `minLength` makes the selector choose `position`. */
function mustSelect(selector: IndexSelector | SliceSelector, position: number, minLength: number): boolean {
  if (selector.kind === 'index') return false;
  const step = selector.step ?? 1;
  const start = selector.start ?? 0;
  if (step <= 0 || start < 0 || selector.end === null || selector.end >= 0) return false;
  return position >= start && (position - start) % step === 0 && position < minLength + selector.end;
}
