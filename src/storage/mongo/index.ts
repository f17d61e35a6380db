import { features, type Storage } from '../../features';
import { openConnection, pingServer } from './connection';
import { createAtomically, supportsTransactions } from './transactions';

/** The MongoDB driver; the URI is used as given, database name included. Resolves once every feature's indexes exist. */
export async function createMongoStorage(opts: { uri: string }): Promise<Storage> {
  const conn = await openConnection(opts.uri);
  try {
    const parts = await Promise.all(features.flatMap((f) => (f.store ? [f.store.mongo.open(conn)] : [])));
    const transactions = await supportsTransactions(conn);
    return Object.assign({}, ...parts, {
      driver: 'mongo' as const,
      transactions,
      atomically: createAtomically(conn, transactions),
      ping: () => pingServer(conn),
      close: () => conn.close(),
    }) as Storage;
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}
