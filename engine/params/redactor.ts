/**
 * Keeps secure values out of everything a user or an operator can read (SPEC §4 **must**): logs,
 * error messages, tracking, `validate` output, run history. One Redactor per run holds the run's
 * secrets; every text leaving the run passes through `redact`.
 */

/** What a secret is replaced with. */
export const REDACTED = '*****';

const identity = (text: string): string => text;

/**
 * Replaces secrets in text. Besides the secret itself it catches the forms a secret takes on its
 * way into a log line or a request dump: percent-encoded (upper- and lower-case hex, `+` for
 * spaces as in forms), JSON-escaped (once and twice, non-ASCII as `\uXXXX` as the `:json` template
 * encoder writes it) and base64 of the secret alone. Base64 of `user:secret` (a Basic auth header)
 * is out of reach: components must not log such headers.
 *
 * @example
 * const redactor = new Redactor();
 * redactor.add(token);
 * logger.info(redactor.redact(message));
 */
export class Redactor {
  /** The secrets added, in order; empty strings are never added (they would match everywhere). */
  readonly #secrets = new Set<string>();

  /**
   * Returns `text` with every occurrence of a secret, in any of the forms above, replaced by
   * `*****`. Longer forms win where two overlap.
   *
   * NOTE: while there are no secrets this is the identity function itself, not a function that
   * checks a flag, so runs without secure parameters pay one call per text and nothing more.
   */
  redact: (text: string) => string = identity;

  /** Adds a secret (its text form for numbers and booleans). Adding one twice changes nothing. */
  add(secret: string | number | boolean): this {
    const text = String(secret);
    if (text === '' || this.#secrets.has(text)) return this;
    this.#secrets.add(text);
    this.redact = compileRedaction(this.#secrets);
    return this;
  }

  /** Adds every secret of `secrets` (e.g. `resolution.secrets`), compiling once. */
  addAll(secrets: Iterable<string>): this {
    let added = false;
    for (const secret of secrets) {
      if (secret === '' || this.#secrets.has(secret)) continue;
      this.#secrets.add(secret);
      added = true;
    }
    if (added) this.redact = compileRedaction(this.#secrets);
    return this;
  }

  /** How many distinct secrets are held. */
  get size(): number {
    return this.#secrets.size;
  }

  /**
   * A copy of `value` with every string in it (object keys included) redacted: for tracking
   * JSON, run-history records and parameter maps. Returns `value` itself while there are no
   * secrets; other values (numbers, dates, …) are kept as they are.
   */
  redactValue<T>(value: T): T {
    if (this.redact === identity) return value;
    return redactTree(value, this.redact) as T;
  }
}

function redactTree(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item: unknown) => redactTree(item, redact));
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(copy, redact(key), { value: redactTree(item, redact), writable: true, enumerable: true, configurable: true });
    }
    return copy;
  }
  return value;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** One global regular expression matching every form of every secret, longest first. */
function compileRedaction(secrets: ReadonlySet<string>): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of encodedForms(secret)) if (form !== '') forms.add(form);
  const pattern = new RegExp(
    [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
    'g',
  );
  return (text) => text.replace(pattern, REDACTED);
}

/** The secret and the encodings it commonly appears in. */
function encodedForms(secret: string): string[] {
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  return [
    secret,
    ...percentEncodedForms(secret),
    jsonEscaped,
    jsonEscaped.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
    jsonEscaped.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
    JSON.stringify(jsonEscaped).slice(1, -1),
    Buffer.from(secret, 'utf8').toString('base64'),
  ];
}

function percentEncodedForms(secret: string): string[] {
  let percent: string;
  try {
    percent = encodeURIComponent(secret);
  } catch {
    return []; // NOTE: a lone surrogate cannot be percent-encoded, so it cannot appear that way either.
  }
  return [
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    percent.replace(/%20/g, '+'),
    new URLSearchParams([['', secret]]).toString().slice(1), // application/x-www-form-urlencoded
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
