/**
 * Autorename names, as the WriteMode docs describe them: `document.txt` → `document (2).txt`
 * (add, overwrite, create_folder) or `document (conflicted copy).txt` (update).
 */

/** Which autorename strategy applies. */
export type AutorenameStyle = 'numbered' | 'conflicted-copy';

/**
 * The first candidate name not taken (compared lowercased). `splitExtension` keeps a file's
 * extension after the suffix; folders take the suffix at the end.
 */
export function autorenamedName(
  name: string,
  style: AutorenameStyle,
  isTaken: (lowerName: string) => boolean,
  splitExtension: boolean,
): string {
  const dot = splitExtension ? name.lastIndexOf('.') : -1;
  const base = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot) : '';
  for (let attempt = 1; ; attempt++) {
    const suffix =
      style === 'numbered'
        ? ` (${attempt + 1})`
        : attempt === 1
          ? ' (conflicted copy)'
          : ` (conflicted copy ${attempt})`;
    const candidate = base + suffix + extension;
    if (!isTaken(candidate.toLowerCase())) return candidate;
  }
}
