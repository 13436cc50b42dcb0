/**
 * The Postgres engine as a package entry (`switchyard/postgres`): the engine, and transactional
 * enqueue for applications that share the agent's database. See docs/engine-postgres.md.
 */
export { PostgresEngine, type PostgresEngineOptions } from './PostgresEngine.js';
export { enqueueInTransaction } from './enqueueInTransaction.js';
