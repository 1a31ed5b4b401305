/** A command-line usage mistake: printed as one line, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
