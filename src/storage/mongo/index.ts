import type { Storage } from '../types';
import { openConnection, pingServer } from './connection';
import { createMongoMerchants } from './merchants';
import { createModels } from './models';
import { createMongoStations } from './stations';

/** The MongoDB driver; the URI is used as given, database name included. Resolves once indexes exist. */
export async function createMongoStorage(opts: { uri: string }): Promise<Storage> {
  const conn = await openConnection(opts.uri);
  try {
    const models = await createModels(conn);
    return {
      driver: 'mongo',
      stations: createMongoStations(models.stations),
      merchants: createMongoMerchants(models.merchants),
      ping: () => pingServer(conn),
      close: () => conn.close(),
    };
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}
