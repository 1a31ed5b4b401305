/**
 * The change log behind list_folder cursors: one event per path per change (a file written, a
 * folder created, an item deleted; a deleted folder logs itself and every descendant). A cursor
 * remembers a sequence number; continue returns the paths changed after it.
 */

/** One recorded change; what the path holds now is looked up when the change is reported. */
export interface JournalEvent {
  readonly pathLower: string;
  readonly pathDisplay: string;
  readonly name: string;
}

/** A path changed after a cursor, with the sequence number of its latest change. */
export interface ChangedPath {
  readonly event: JournalEvent;
  readonly seq: number;
}

/** Append-only journal; sequence numbers start at 1 and are dense (event i has seq i + 1). */
export class ChangeJournal {
  readonly #events: JournalEvent[] = [];

  /** Sequence number of the latest event (0 before any). */
  get seq(): number {
    return this.#events.length;
  }

  record(event: JournalEvent): void {
    this.#events.push(event);
  }

  /**
   * Each path with an event after `sinceSeq` that `inScope` accepts, once, ordered by its latest
   * event. NOTE: coalescing to the latest event per path (rather than replaying every event) is
   * what Dropbox does, and it keeps the sync rules sound because a deleted folder journals each
   * descendant: a child gone in between is reported as deleted even if the folder came back.
   */
  changedSince(sinceSeq: number, inScope: (pathLower: string) => boolean): ChangedPath[] {
    const latest = new Map<string, ChangedPath>();
    for (let index = sinceSeq; index < this.#events.length; index++) {
      const event = this.#events[index]!;
      if (!inScope(event.pathLower)) continue;
      latest.delete(event.pathLower);
      latest.set(event.pathLower, { event, seq: index + 1 });
    }
    return [...latest.values()];
  }
}
