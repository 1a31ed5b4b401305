/**
 * The fake's in-memory Dropbox: a folder tree with case-insensitive names, file revisions,
 * stable ids, and the change journal behind list_folder cursors. Routes call the write and
 * lookup methods; tests seed and mutate it "as another client" through the same rules, so every
 * change they make is journaled and shows up in list_folder/continue.
 */
import { randomBytes } from 'node:crypto';
import { autorenamedName } from './autorename.ts';
import { ChangeJournal, type JournalEvent } from './change-journal.ts';
import { parseDropboxPath, isInsideLowerPath, parentOfLowerPath } from './dropbox-path.ts';
import { contentToBuffer, fileContentOf, type FileContent } from './file-content.ts';
import type {
  DeletedMetadataJson,
  FileMetadataJson,
  FolderMetadataJson,
  TaggedMetadataJson,
  UnionJson,
} from './metadata-types.ts';

/** A folder; `children` is keyed by lowercased name. The root has `parent === null`. */
export interface FolderNode {
  readonly kind: 'folder';
  readonly id: string;
  readonly name: string;
  parent: FolderNode | null;
  readonly children: Map<string, TreeNode>;
  /** The parent's path as the creating call wrote it (see DropboxTreeOptions.displayPathsAsWritten). */
  readonly writtenParent?: string;
}

/** A file and its current revision. */
export interface FileNode {
  readonly kind: 'file';
  readonly id: string;
  readonly name: string;
  parent: FolderNode;
  revision: FileRevision;
  /** The parent's path as the creating call wrote it (see DropboxTreeOptions.displayPathsAsWritten). */
  readonly writtenParent?: string;
}

export type TreeNode = FolderNode | FileNode;

/** One stored version of a file. */
export interface FileRevision {
  readonly rev: string;
  readonly content: FileContent;
  readonly serverModified: string;
  readonly clientModified: string;
}

/** A revision with the file's metadata at the time it was written (for `rev:` downloads). */
export interface RevisionRecord {
  readonly revision: FileRevision;
  readonly metadata: FileMetadataJson;
}

/** files.stone WriteMode, normalized to its tagged form. */
export type WriteModeValue = { readonly '.tag': 'add' } | { readonly '.tag': 'overwrite' } | { readonly '.tag': 'update'; readonly update: string };

/** The CommitInfo fields that decide a write. */
export interface CommitOptions {
  readonly mode: WriteModeValue;
  readonly autorename: boolean;
  readonly strictConflict: boolean;
  /** A DropboxTimestamp; defaults to the server time of the write. */
  readonly clientModified?: string | undefined;
}

/** Success with the result metadata, or a route error union value (WriteError / LookupError). */
export type TreeOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: UnionJson };

/** Options of the tree. */
export interface DropboxTreeOptions {
  /** Clock in epoch milliseconds (the fake's clock, which tests may advance). */
  readonly now: () => number;
  /** Namespace id that `ns:<id>` paths may name as the root. */
  readonly rootNamespaceId: string;
  /**
   * path_display keeps the casing the creating call wrote for the parent folders (files.stone:
   * "In rare instances the casing will not correctly match the user's filesystem … at least the
   * last path component will have the correct casing"): a file written as `/docs/a.txt` into
   * the folder `/Docs` is listed as `/docs/a.txt`. Off: every path_display follows the folders'
   * own names. @default false
   */
  readonly displayPathsAsWritten?: boolean;
}

const MALFORMED_PATH: UnionJson = { '.tag': 'malformed_path' };
const NOT_FOUND: UnionJson = { '.tag': 'not_found' };

function conflict(kind: 'file' | 'folder' | 'file_ancestor'): UnionJson {
  return { '.tag': 'conflict', conflict: { '.tag': kind } };
}

/** `%Y-%m-%dT%H:%M:%SZ` for an epoch-milliseconds instant. */
export function dropboxTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19) + 'Z';
}

function newId(): string {
  return 'id:' + randomBytes(16).toString('base64url');
}

type WriteDecision = 'write-new' | 'replace' | 'unchanged' | 'conflict-file' | 'conflict-folder';

/** The WriteMode rules of files.stone (CommitInfo / WriteMode docs). */
function decideWrite(mode: WriteModeValue, existing: TreeNode | undefined, contentHash: string, strict: boolean): WriteDecision {
  if (existing === undefined) return mode['.tag'] === 'update' && strict ? 'conflict-file' : 'write-new';
  if (existing.kind === 'folder') return 'conflict-folder';
  const identical = existing.revision.content.contentHash === contentHash;
  if (identical && !strict) return 'unchanged';
  switch (mode['.tag']) {
    case 'add':
      return 'conflict-file';
    case 'overwrite':
      return 'replace';
    case 'update':
      return mode.update === existing.revision.rev && !identical ? 'replace' : 'conflict-file';
  }
}

/** `{ writtenParent }` for the node at `written[index]` (its parent path as written), or {} for an id path. */
function writtenParentOf(written: readonly string[], index: number): { writtenParent?: string } {
  if (written.length === 0 || index < 0) return {};
  return { writtenParent: written.slice(0, index).map((component) => '/' + component).join('') };
}

export class DropboxTree {
  readonly #root: FolderNode = { kind: 'folder', id: newId(), name: '', parent: null, children: new Map() };
  readonly #ids = new Map<string, TreeNode>();
  readonly #revisions = new Map<string, RevisionRecord>();
  /** The change log behind cursors (read by the list_folder routes). */
  readonly journal = new ChangeJournal();
  readonly #now: () => number;
  readonly #rootNamespaceId: string;
  /** Revs are `<counter, 9+ hex><salt>`: unique, increasing within one fake, ≥ 9 hex digits. */
  #revCounter = 0;
  readonly #revSalt = randomBytes(3).toString('hex');

  readonly #displayPathsAsWritten: boolean;

  constructor(options: DropboxTreeOptions) {
    this.#now = options.now;
    this.#rootNamespaceId = options.rootNamespaceId;
    this.#displayPathsAsWritten = options.displayPathsAsWritten ?? false;
  }

  // ── test-facing: seed, mutate as another client, inspect ──────────────────────────────────

  /**
   * Adds files and folders: `{ '/a/b.txt': 'text' | bytes, '/empty/': null }` — a key ending in
   * `/` is a folder. Files are written with mode overwrite; everything is journaled.
   */
  seed(entries: Readonly<Record<string, string | Uint8Array | null>>): void {
    for (const [path, data] of Object.entries(entries)) {
      if (path.endsWith('/') && path !== '/') this.makeFolder(path.slice(0, -1));
      else this.putFile(path, data ?? '');
    }
  }

  /**
   * Writes a file as another client would (mode overwrite, parents created). Identical content
   * changes nothing, as on the real server. Throws on a path that cannot hold a file.
   */
  putFile(path: string, data: string | Uint8Array, options: { clientModified?: string } = {}): FileMetadataJson {
    const outcome = this.writeFile(path, fileContentOf(data), {
      mode: { '.tag': 'overwrite' },
      autorename: false,
      strictConflict: false,
      clientModified: options.clientModified,
    });
    if (!outcome.ok) throw new Error(`dropbox fake: cannot write ${path}: ${JSON.stringify(outcome.error)}`);
    return outcome.value;
  }

  /** Creates a folder (and its parents) as another client would; an existing folder is kept. */
  makeFolder(path: string): FolderMetadataJson {
    const existing = this.#lookupNode(path);
    if (existing?.kind === 'folder' && existing.parent !== null) return this.folderMetadata(existing);
    const outcome = this.createFolder(path, false);
    if (!outcome.ok) throw new Error(`dropbox fake: cannot create folder ${path}: ${JSON.stringify(outcome.error)}`);
    return outcome.value;
  }

  /** Deletes a file or folder (with its contents) as another client would; false if absent. */
  remove(path: string): boolean {
    const node = this.#lookupNode(path);
    if (node === undefined || node.parent === null) return false;
    this.deleteNode(node);
    return true;
  }

  /** The current bytes of the file at `path` (case-insensitive), or undefined. */
  readFile(path: string): Buffer | undefined {
    const node = this.#lookupNode(path);
    return node?.kind === 'file' ? contentToBuffer(node.revision.content) : undefined;
  }

  /** Current metadata (no `.tag`) of the item at `path`, or undefined. */
  getMetadata(path: string): FileMetadataJson | FolderMetadataJson | undefined {
    const node = this.#lookupNode(path);
    if (node === undefined || node.parent === null) return undefined;
    return node.kind === 'file' ? this.fileMetadata(node) : this.folderMetadata(node);
  }

  /** Every item's path_display, parents first, siblings by lowercased name; folders end in `/`. */
  listPaths(): string[] {
    const paths: string[] = [];
    this.#walk(this.#root, (node, display) => paths.push(node.kind === 'folder' ? display + '/' : display));
    return paths;
  }

  #lookupNode(path: string): TreeNode | undefined {
    const outcome = this.lookup(path);
    return outcome.ok ? outcome.value : undefined;
  }

  // ── route-facing: lookups and metadata ─────────────────────────────────────────────────────

  /** Resolves a path or id to a node (the root for `""`, `/` or `ns:<root>`), else a LookupError. */
  lookup(raw: string): TreeOutcome<TreeNode> {
    const ref = parseDropboxPath(raw, this.#rootNamespaceId);
    switch (ref.kind) {
      case 'malformed':
      case 'rev':
        return { ok: false, error: MALFORMED_PATH };
      case 'unknown-namespace':
        return { ok: false, error: NOT_FOUND };
      case 'id': {
        const node = this.#ids.get(ref.id);
        return node === undefined ? { ok: false, error: NOT_FOUND } : { ok: true, value: node };
      }
      case 'path': {
        let node: TreeNode = this.#root;
        for (const component of ref.components) {
          const child: TreeNode | undefined = node.kind === 'folder' ? node.children.get(component.toLowerCase()) : undefined;
          if (child === undefined) return { ok: false, error: NOT_FOUND };
          node = child;
        }
        return { ok: true, value: node };
      }
    }
  }

  /** The node at a `path_lower` (`""` = root), or undefined. */
  nodeAtLowerPath(pathLower: string): TreeNode | undefined {
    if (pathLower === '') return this.#root;
    let node: TreeNode = this.#root;
    for (const component of pathLower.slice(1).split('/')) {
      const child: TreeNode | undefined = node.kind === 'folder' ? node.children.get(component) : undefined;
      if (child === undefined) return undefined;
      node = child;
    }
    return node;
  }

  /** A stored revision (current or past, of a file that may since be deleted). */
  revision(rev: string): RevisionRecord | undefined {
    return this.#revisions.get(rev);
  }

  /** Whether `node` is the root folder. */
  isRoot(node: TreeNode): boolean {
    return node === this.#root;
  }

  /** path_display and path_lower of a node (`""` for the root). */
  pathOf(node: TreeNode): { display: string; lower: string } {
    let display = '';
    for (let current: TreeNode | null = node; current !== null && current.parent !== null; current = current.parent) {
      display = '/' + current.name + display;
    }
    const lower = display.toLowerCase();
    if (this.#displayPathsAsWritten && node.writtenParent !== undefined) display = node.writtenParent + '/' + node.name;
    return { display, lower };
  }

  fileMetadata(node: FileNode): FileMetadataJson {
    const { display, lower } = this.pathOf(node);
    const revision = node.revision;
    return {
      name: node.name,
      id: node.id,
      client_modified: revision.clientModified,
      server_modified: revision.serverModified,
      rev: revision.rev,
      size: revision.content.size,
      path_lower: lower,
      path_display: display,
      is_downloadable: true,
      content_hash: revision.content.contentHash,
    };
  }

  folderMetadata(node: FolderNode): FolderMetadataJson {
    const { display, lower } = this.pathOf(node);
    return { name: node.name, id: node.id, path_lower: lower, path_display: display };
  }

  /** Metadata with `.tag`, as in a `Metadata`-typed position. */
  taggedMetadata(node: TreeNode): TaggedMetadataJson {
    return node.kind === 'file'
      ? { '.tag': 'file', ...this.fileMetadata(node) }
      : { '.tag': 'folder', ...this.folderMetadata(node) };
  }

  /**
   * A folder's listing, as list_folder returns it: direct children, or (recursive) the folder
   * itself when it is not the root followed by every descendant, parents before children.
   * `includeDeleted` appends a DeletedMetadata for each journaled path in scope that no longer exists.
   */
  listFolderEntries(folder: FolderNode, recursive: boolean, includeDeleted: boolean): TaggedMetadataJson[] {
    const entries: TaggedMetadataJson[] = [];
    if (recursive) {
      if (folder !== this.#root) entries.push(this.taggedMetadata(folder));
      this.#walk(folder, (node) => entries.push(this.taggedMetadata(node)));
    } else {
      for (const child of this.#sortedChildren(folder)) entries.push(this.taggedMetadata(child));
    }
    if (includeDeleted) {
      const scope = this.pathOf(folder).lower;
      const inScope = recursive
        ? (pathLower: string) => isInsideLowerPath(pathLower, scope)
        : (pathLower: string) => parentOfLowerPath(pathLower) === scope;
      for (const { event } of this.journal.changedSince(0, inScope)) {
        if (this.nodeAtLowerPath(event.pathLower) === undefined) entries.push(this.deletedEntry(event));
      }
    }
    return entries;
  }

  /** What a journaled path holds now: its current metadata, or a DeletedMetadata. */
  currentEntry(event: JournalEvent): TaggedMetadataJson {
    const node = this.nodeAtLowerPath(event.pathLower);
    return node === undefined || node === this.#root ? this.deletedEntry(event) : this.taggedMetadata(node);
  }

  deletedEntry(event: JournalEvent): { '.tag': 'deleted' } & DeletedMetadataJson {
    return { '.tag': 'deleted', name: event.name, path_lower: event.pathLower, path_display: event.pathDisplay };
  }

  // ── route-facing: writes ───────────────────────────────────────────────────────────────────

  /**
   * Commits `content` at `rawPath` (a `/…`, `ns:…` or `id:…` WritePathOrId) under the WriteMode
   * rules: nothing at the path → written (missing parents created); a folder in the way → conflict;
   * identical content → unchanged unless `strictConflict`; add → conflict; overwrite → replaced;
   * update → replaced only when the rev matches. With `autorename` a conflict writes to a free name.
   */
  writeFile(rawPath: string, content: FileContent, commit: CommitOptions): TreeOutcome<FileMetadataJson> {
    const target = this.#writeTarget(rawPath);
    if (!target.ok) return target;
    const { folder, missing, name, written } = target.value;
    let existing = missing.length === 0 ? folder.children.get(name.toLowerCase()) : undefined;
    let decision = decideWrite(commit.mode, existing, content.contentHash, commit.strictConflict);
    let finalName = name;
    if (decision === 'conflict-file' || decision === 'conflict-folder') {
      if (!commit.autorename) return { ok: false, error: conflict(decision === 'conflict-file' ? 'file' : 'folder') };
      const taken = (lower: string) => missing.length === 0 && folder.children.has(lower);
      finalName = autorenamedName(name, commit.mode['.tag'] === 'update' ? 'conflicted-copy' : 'numbered', taken, true);
      existing = undefined;
      decision = 'write-new';
    }
    if (decision === 'unchanged') return { ok: true, value: this.fileMetadata(existing as FileNode) };
    const now = this.#now();
    const revision: FileRevision = {
      rev: this.#nextRev(),
      content,
      serverModified: dropboxTimestamp(now),
      clientModified: commit.clientModified ?? dropboxTimestamp(now),
    };
    let node: FileNode;
    if (decision === 'replace') {
      node = existing as FileNode;
      node.revision = revision;
    } else {
      const parent = this.#createMissingFolders(folder, missing, written, written.length - 1 - missing.length);
      node = { kind: 'file', id: newId(), name: finalName, parent, revision, ...writtenParentOf(written, written.length - 1) };
      parent.children.set(finalName.toLowerCase(), node);
      this.#ids.set(node.id, node);
    }
    const metadata = this.fileMetadata(node);
    this.#revisions.set(revision.rev, { revision, metadata });
    this.#journalNode(node);
    return { ok: true, value: metadata };
  }

  /** create_folder_v2: creates the folder and missing parents; an existing item is a conflict. */
  createFolder(rawPath: string, autorename: boolean): TreeOutcome<FolderMetadataJson> {
    const target = this.#writeTarget(rawPath);
    if (!target.ok) return target;
    const { folder, missing, name, written } = target.value;
    let finalName = name;
    const existing = missing.length === 0 ? folder.children.get(name.toLowerCase()) : undefined;
    if (existing !== undefined) {
      if (!autorename) return { ok: false, error: conflict(existing.kind) };
      finalName = autorenamedName(name, 'numbered', (lower) => folder.children.has(lower), false);
    }
    const parent = this.#createMissingFolders(folder, missing, written, written.length - 1 - missing.length);
    const created = this.#createMissingFolders(parent, [finalName], written, written.length - 1);
    return { ok: true, value: this.folderMetadata(created) };
  }

  /**
   * Deletes a node and its contents; returns its metadata from before the deletion. Journals the
   * node and each descendant as deleted.
   */
  deleteNode(node: TreeNode): TaggedMetadataJson {
    if (node.parent === null) throw new Error('dropbox fake: the root cannot be deleted');
    const before = this.taggedMetadata(node);
    const events: JournalEvent[] = [];
    const { display } = this.pathOf(node);
    events.push({ pathLower: display.toLowerCase(), pathDisplay: display, name: node.name });
    if (node.kind === 'folder') {
      this.#walk(node, (descendant, descendantDisplay) => {
        events.push({ pathLower: descendantDisplay.toLowerCase(), pathDisplay: descendantDisplay, name: descendant.name });
        this.#ids.delete(descendant.id);
      }, display);
    }
    node.parent.children.delete(node.name.toLowerCase());
    this.#ids.delete(node.id);
    for (const event of events) this.journal.record(event);
    return before;
  }

  /**
   * Splits a write path into the deepest existing folder, the missing folder names below it,
   * and the final name. A file among the ancestors is a `file_ancestor` conflict.
   */
  #writeTarget(rawPath: string): TreeOutcome<{ folder: FolderNode; missing: string[]; name: string; written: readonly string[] }> {
    const ref = parseDropboxPath(rawPath, this.#rootNamespaceId);
    let components: readonly string[];
    if (ref.kind === 'id') {
      const node = this.#ids.get(ref.id);
      if (node === undefined) return { ok: false, error: MALFORMED_PATH };
      components = this.pathOf(node).display.slice(1).split('/');
    } else if (ref.kind === 'path') {
      components = ref.components;
    } else {
      return { ok: false, error: MALFORMED_PATH };
    }
    if (components.length === 0) return { ok: false, error: conflict('folder') };
    let folder: FolderNode = this.#root;
    const missing: string[] = [];
    for (const component of components.slice(0, -1)) {
      if (missing.length > 0) {
        missing.push(component);
        continue;
      }
      const child = folder.children.get(component.toLowerCase());
      if (child === undefined) missing.push(component);
      else if (child.kind === 'file') return { ok: false, error: conflict('file_ancestor') };
      else folder = child;
    }
    return { ok: true, value: { folder, missing, name: components[components.length - 1]!, written: ref.kind === 'path' ? components : [] } };
  }

  /**
   * Creates `names` below `start`. `written` is the whole path as the call wrote it and `first`
   * the index of `names[0]` in it (for displayPathsAsWritten; `written` is [] for an id path).
   */
  #createMissingFolders(start: FolderNode, names: readonly string[], written: readonly string[], first: number): FolderNode {
    let folder = start;
    for (const [index, name] of names.entries()) {
      const created: FolderNode = { kind: 'folder', id: newId(), name, parent: folder, children: new Map(), ...writtenParentOf(written, first + index) };
      folder.children.set(name.toLowerCase(), created);
      this.#ids.set(created.id, created);
      this.#journalNode(created);
      folder = created;
    }
    return folder;
  }

  #journalNode(node: TreeNode): void {
    const { display, lower } = this.pathOf(node);
    this.journal.record({ pathLower: lower, pathDisplay: display, name: node.name });
  }

  #nextRev(): string {
    this.#revCounter += 1;
    return this.#revCounter.toString(16).padStart(9, '0') + this.#revSalt;
  }

  #sortedChildren(folder: FolderNode): TreeNode[] {
    return [...folder.children.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, node]) => node);
  }

  /** Pre-order walk below `folder` (not including it), siblings by lowercased name. */
  #walk(folder: FolderNode, visit: (node: TreeNode, display: string) => void, prefix = this.pathOf(folder).display): void {
    for (const child of this.#sortedChildren(folder)) {
      const display = prefix + '/' + child.name;
      visit(child, display);
      if (child.kind === 'folder') this.#walk(child, visit, display);
    }
  }
}
