/** Store errors that are the user's input errors (kept apart from store.ts so the CLI can name them without loading SQLite). */
/**
 * The user's input error when the store cannot be used: the path is a
 * directory or not an SQLite database, or its schema is newer than this
 * iamsim. Commands report it as bad input (exit 2), not as an internal error.
 */
export class StoreOpenError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'StoreOpenError';
  }
}
