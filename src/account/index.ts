/** Public surface of the account model, importers, store and queries. */
export * from './model.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, DIALECTS, migrationsFor } from './migrations.js';
export type { Dialect, DialectInfo, DialectStep, Migration } from './migrations.js';
export { overlayContents } from './overlay.js';
export { importFiles, importFilesAsync, parseFiles, buildBatch, readSource } from './import/index.js';
export type { ImportOptions, ImportResult, InputFormat, ParsedInputs } from './import/index.js';
export { accountDetails, showAccount, showAccountAsync } from './commands.js';
export type { AccountDetails } from './commands.js';
export { isAwsManagedArn, resolveAwsManagedPolicy } from './managed.js';
export * from './query.js';
export { DEFAULT_DB_PATH, isPostgresUrl, redactUrl, StoreNotFoundError } from './async-store.js';
export { openAsyncStore } from './open-store.js';
export type {
  AccountSummary,
  StoreContents,
  AccountUpdate,
  AsyncStore,
  AsyncStoreOptions,
  BatchBuilder,
  ChangeListener,
  VersionedContents,
} from './async-store.js';
export { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS } from './pg/migrations.js';
