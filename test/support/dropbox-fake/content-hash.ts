/**
 * Dropbox's `content_hash`: the SHA-256 of the concatenated SHA-256 digests of the content's
 * 4 MiB blocks (ENDPOINTS.md §5). An empty input has no blocks, so its hash is SHA-256("").
 */
import { createHash, type Hash } from 'node:crypto';

/** Size of one content_hash block: 4 MiB (4,194,304 bytes). */
export const CONTENT_HASH_BLOCK_SIZE = 4 * 1024 * 1024;

/**
 * Incremental content_hash: feed bytes in chunks of any size with `update`, read the hex digest
 * once with `digestHex`. `copy` forks the state, so a caller can hash a tentative chunk on top of
 * a session's running hash and keep or drop the result.
 */
export class DropboxContentHasher {
  /** Hash over the raw block digests seen so far. */
  #overall: Hash;
  /** Hash of the block being filled; null when no byte of the current block has arrived. */
  #block: Hash | null;
  /** Bytes already fed into `#block` (0 ≤ fill < CONTENT_HASH_BLOCK_SIZE). */
  #blockFill: number;

  constructor(overall: Hash = createHash('sha256'), block: Hash | null = null, blockFill = 0) {
    this.#overall = overall;
    this.#block = block;
    this.#blockFill = blockFill;
  }

  /** Feeds the next bytes of the content. */
  update(data: Uint8Array): this {
    let position = 0;
    while (position < data.length) {
      const take = Math.min(CONTENT_HASH_BLOCK_SIZE - this.#blockFill, data.length - position);
      this.#block ??= createHash('sha256');
      this.#block.update(position === 0 && take === data.length ? data : data.subarray(position, position + take));
      this.#blockFill += take;
      position += take;
      if (this.#blockFill === CONTENT_HASH_BLOCK_SIZE) {
        this.#overall.update(this.#block.digest());
        this.#block = null;
        this.#blockFill = 0;
      }
    }
    return this;
  }

  /** An independent hasher in the same state. */
  copy(): DropboxContentHasher {
    return new DropboxContentHasher(this.#overall.copy(), this.#block?.copy() ?? null, this.#blockFill);
  }

  /** The lowercase 64-hex content_hash. Call once; the hasher is finished afterwards. */
  digestHex(): string {
    if (this.#block !== null) this.#overall.update(this.#block.digest());
    this.#block = null;
    return this.#overall.digest('hex');
  }
}

/**
 * The content_hash of `data`, given whole or as consecutive chunks.
 * @example dropboxContentHash(Buffer.from('hello world')) // 'bc62d4b8…'
 */
export function dropboxContentHash(data: Uint8Array | readonly Uint8Array[]): string {
  const hasher = new DropboxContentHasher();
  if (data instanceof Uint8Array) hasher.update(data);
  else for (const chunk of data) hasher.update(chunk);
  return hasher.digestHex();
}
