import type { IdentityStorage } from '../modules/identity/identity.types';
import type { MerchantsStorage } from '../modules/merchants/merchants.types';
import type { StationsStorage } from '../modules/stations/stations.types';
import type { StorageBase } from './types';

/** Everything the drivers store: the base plus each feature's repositories. */
export type Storage = StorageBase & StationsStorage & MerchantsStorage & IdentityStorage;
