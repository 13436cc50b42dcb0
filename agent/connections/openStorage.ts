import { join } from 'node:path';
import { ConfigError } from '../config/ConfigError.js';
import type { StorageKind } from '../../shared/api/schemas/info.js';
import type { AgentConfig } from '../config/agentConfig.js';
import { redactUrl } from './connectRedis.js';
import { startEmbeddedPostgres } from './embeddedPostgres.js';

/** Where the agent's records live, and how to stop what serves them. */
export interface Storage {
  kind: StorageKind;
  /** A PostgreSQL URL for the agent's `pg.Pool`. */
  url: string;
  /** Connections the agent's pool may open: 10 on a server; 1 on PGlite, one backend that every client shares. */
  poolSize: number;
  /** For the log: the URL without its password, or the PGlite folder. */
  describe: string;
  /** Stops the embedded server (nothing for a PostgreSQL server); called after the pool has ended. */
  close(): Promise<void>;
}

/**
 * The records' home: the PostgreSQL server at `--database` (`DATABASE_URL`), or, with none given,
 * embedded PGlite in `<data dir>/pglite`, served over the Postgres wire protocol on loopback so
 * the agent's `pg.Pool` code runs unchanged.
 */
export async function openStorage(config: Pick<AgentConfig, 'databaseUrl' | 'dataDirectory'>): Promise<Storage> {
  if (config.databaseUrl !== null) {
    return { kind: 'postgres', url: config.databaseUrl, poolSize: 10, describe: redactUrl(config.databaseUrl), close: async () => undefined };
  }
  const dataDirectory = join(config.dataDirectory, 'pglite');
  let embedded;
  try {
    embedded = await startEmbeddedPostgres({ dataDirectory });
  } catch (error) {
    throw new ConfigError(setting, `cannot open the embedded database in ${dataDirectory}: ${(error as Error).message}`);
  }
  return { kind: 'pglite', url: embedded.url, poolSize: 1, describe: dataDirectory, close: () => embedded.close() };
}

/** Embedded PGlite lives in the data directory: a failure there is that setting's. */
const setting = '--data-dir (SWITCHYARD_DATA_DIR)';
