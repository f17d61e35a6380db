import type { Config } from '../shared/config';
import { createLogger, type Logger } from '../shared/logger';
import { createEmbeddedStorage } from './embedded';
import { createMongoStorage } from './mongo';
import type { Storage } from '../features';

/** Opens the driver the configuration names; an unknown driver is a start-up error. */
export async function openStorage(config: Pick<Config, 'storage' | 'logLevel'>, log: Logger = createLogger(config.logLevel)): Promise<Storage> {
  const { driver, dataDir, embeddedSync, mongoUri } = config.storage;
  switch (driver) {
    case 'embedded':
      return createEmbeddedStorage({
        dataDir, sync: embeddedSync,
        onHousekeepingError: (err) => log.warn({ module: 'storage', err }, 'purging expired sessions and codes failed; retrying next hour'),
      });
    case 'mongo':
      return createMongoStorage({
        uri: mongoUri,
        serverSelectionTimeoutMS: config.storage.mongoServerSelectionTimeoutMs,
        connectTimeoutMS: config.storage.mongoConnectTimeoutMs,
        requireTransactions: config.storage.requireTransactions,
        log,
      });
    default:
      throw new Error(`unknown storage driver: ${String(driver)}`);
  }
}

export type { Storage } from '../features';
