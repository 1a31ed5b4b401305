/** The shape of a registry entry, and the helper area modules use to declare theirs. */
export interface CodeDoc {
  /** What happened, in a few words. */
  summary: string;
  /** How the user fixes it. */
  fix: string;
}

/** Keeps the literal keys of an area's codes while checking each entry's shape. */
export function defineCodes<const T extends Record<string, CodeDoc>>(codes: T): T {
  return codes;
}
