/**
 * Injected failures: the next N matching requests get a 429, a 5xx, a route error, or a dropped
 * connection instead of their normal answer — or are served and then lose their answer. Rules
 * apply in the order they were added.
 */
import type { UnionJson } from './metadata-types.ts';

/** A failure to inject. */
export type DropboxFault =
  | {
      /** 429 with `Retry-After: retryAfter` and an auth.RateLimitError JSON body. */
      readonly kind: 'rate-limit';
      /** Seconds. @default 1 */
      readonly retryAfter?: number;
      /** @default 'too_many_requests' */
      readonly reason?: 'too_many_requests' | 'too_many_write_operations';
      /** Send a plain-text body instead of JSON (the real server sometimes does). @default false */
      readonly plainText?: boolean;
    }
  | {
      /** A server error with a plain-text body. */
      readonly kind: 'server-error';
      /** @default 500 */
      readonly status?: number;
      /** @default 'Internal Server Error' */
      readonly body?: string;
    }
  | {
      /** The TCP connection is reset. */
      readonly kind: 'connection-reset';
      /**
       * For files/download: send the headers and this many body bytes first, then reset
       * (a download cut mid-body). Other routes reset before answering. @default 0
       */
      readonly afterBytes?: number;
    }
  | {
      /**
       * The request is served normally (an upload is stored, an append lands), then the
       * connection is reset instead of sending the answer: the client cannot tell it succeeded
       * (what a retry of a non-idempotent call runs into).
       */
      readonly kind: 'lost-response';
    }
  | {
      /**
       * A 409 with this route error (`error_summary` derived from it), without serving the
       * request, e.g. `{ '.tag': 'incorrect_offset', correct_offset: 7 }`.
       */
      readonly kind: 'route-error';
      readonly error: UnionJson;
    };

/** Which requests a fault applies to, and how many times. */
export interface FaultOptions {
  /** Number of matching requests that fail. @default 1 */
  readonly times?: number;
  /** Only this route (`files/upload`, `files/list_folder/continue`, `oauth2/token`, …). @default every route */
  readonly route?: string;
}

interface FaultRule {
  readonly fault: DropboxFault;
  readonly route: string | undefined;
  remaining: number;
}

export class FaultQueue {
  #rules: FaultRule[] = [];

  add(fault: DropboxFault, options: FaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`dropbox fake: fault times must be a positive integer, got ${times}`);
    this.#rules.push({ fault, route: options.route, remaining: times });
  }

  /** The fault for this request, if any (counts it). */
  take(route: string): DropboxFault | undefined {
    const rule = this.#rules.find((candidate) => candidate.route === undefined || candidate.route === route);
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.#rules = this.#rules.filter((candidate) => candidate !== rule);
    return rule.fault;
  }

  clear(): void {
    this.#rules = [];
  }

  /** Faults still waiting to fire. */
  get pending(): number {
    return this.#rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }
}
