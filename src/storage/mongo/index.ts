import type { Storage } from '../storage';
import { createMongoAudit } from './audit';
import { createMongoCodes } from './codes';
import { openConnection, pingServer } from './connection';
import { createIdentityModels } from './identity-models';
import { createMongoMerchants } from './merchants';
import { createModels } from './models';
import { createMongoRiders } from './riders';
import { createMongoSessions } from './sessions';
import { createMongoStaff } from './staff';
import { createMongoStations } from './stations';

/** The MongoDB driver; the URI is used as given, database name included. Resolves once indexes exist. */
export async function createMongoStorage(opts: { uri: string }): Promise<Storage> {
  const conn = await openConnection(opts.uri);
  try {
    const [models, identity] = await Promise.all([createModels(conn), createIdentityModels(conn)]);
    return {
      driver: 'mongo',
      stations: createMongoStations(models.stations),
      merchants: createMongoMerchants(models.merchants),
      riders: createMongoRiders(identity.riders),
      staff: createMongoStaff(identity.staff),
      codes: createMongoCodes(identity.codes),
      sessions: createMongoSessions(identity.sessions),
      audit: createMongoAudit(identity.audit),
      ping: () => pingServer(conn),
      close: () => conn.close(),
    };
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}
