import type { Config } from '../shared/config';
import { createEmbeddedStorage } from './embedded';
import { createMongoStorage } from './mongo';
import type { Storage } from '../features';

/** Opens the driver the configuration names; an unknown driver is a start-up error. */
export async function openStorage(config: Pick<Config, 'storage'>): Promise<Storage> {
  const { driver, dataDir, embeddedSync, mongoUri } = config.storage;
  switch (driver) {
    case 'embedded':
      return createEmbeddedStorage({ dataDir, sync: embeddedSync });
    case 'mongo':
      return createMongoStorage({ uri: mongoUri });
    default:
      throw new Error(`unknown storage driver: ${String(driver)}`);
  }
}

export type { Storage } from '../features';
