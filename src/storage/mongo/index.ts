import { features, type Storage } from '../../features';
import type { Logger } from '../../shared/logger';
import { HOW_TO_ENABLE_TRANSACTIONS, recordCapabilities } from './capabilities';
import { openConnection, pingServer } from './connection';
import { createMongoLimiterStore } from './limiter-store';
import { createAtomically, supportsTransactions } from './transactions';

export interface MongoOptions {
  uri: string;
  serverSelectionTimeoutMS?: number;
  connectTimeoutMS?: number;
  /** Refuse bulk imports when the server has no transactions (production), instead of writing without one. */
  requireTransactions?: boolean;
  log?: Logger;
}

/** The MongoDB driver; the URI is used as given, database name included. Resolves once every feature's indexes exist. */
export async function createMongoStorage(opts: MongoOptions): Promise<Storage> {
  const { serverSelectionTimeoutMS = 10_000, connectTimeoutMS = 10_000, requireTransactions = false } = opts;
  const conn = await openConnection({ uri: opts.uri, serverSelectionTimeoutMS, connectTimeoutMS });
  try {
    const parts = await Promise.all(features.flatMap((f) => (f.store ? [f.store.mongo.open(conn)] : [])));
    const transactions = await supportsTransactions(conn);
    recordCapabilities(conn, { transactions, requireTransactions });
    logTransactions(opts.log, transactions, requireTransactions);
    const limiters = createMongoLimiterStore(conn);
    return Object.assign({}, ...parts, {
      driver: 'mongo' as const,
      transactions,
      atomically: createAtomically(conn, transactions),
      limiterStore: () => limiters,
      ping: () => pingServer(conn),
      close: () => conn.close(),
    }) as Storage;
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}

function logTransactions(log: Logger | undefined, transactions: boolean, required: boolean): void {
  if (transactions) log?.info({ module: 'storage', transactions }, 'MongoDB offers transactions: imports and audited writes are all-or-nothing');
  else if (required) log?.warn({ module: 'storage', transactions }, `MongoDB offers no transactions: bulk imports will be refused; ${HOW_TO_ENABLE_TRANSACTIONS}`);
  else log?.warn({ module: 'storage', transactions }, `MongoDB offers no transactions: imports are undone on failure, not isolated; ${HOW_TO_ENABLE_TRANSACTIONS}`);
}
