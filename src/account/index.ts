/** Public surface of the account model, importers, store and queries. */
export * from './model.js';
export { DEFAULT_DB_PATH, openStore } from './store.js';
export type { AccountSummary, Store, StoreContents } from './store.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from './migrations.js';
export { importFiles, importFilesAsync, parseFiles, buildBatch, readSource } from './import/index.js';
export type { ImportOptions, ImportResult, InputFormat, ParsedInputs } from './import/index.js';
export { accountDetails, listAccounts, removeAccount, showAccount, showAccountAsync } from './commands.js';
export type { AccountDetails } from './commands.js';
export { isAwsManagedArn, resolveAwsManagedPolicy } from './managed.js';
export * from './query.js';
export { isPostgresUrl, redactUrl, StoreNotFoundError } from './async-store.js';
export { openAsyncStore } from './open-store.js';
export type {
  AccountUpdate,
  AsyncStore,
  AsyncStoreOptions,
  BatchBuilder,
  ChangeListener,
  VersionedContents,
} from './async-store.js';
export { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS } from './pg/migrations.js';
