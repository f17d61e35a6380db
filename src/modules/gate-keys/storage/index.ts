import type { FeatureStore } from '../../../feature';
import type { GateKeysStorage } from '../gate-keys.types';
import { createEmbeddedGateKeys } from './embedded';
import { createMongoGateKeys, gateKeyModel } from './mongo';

/** The QR signing keys in either driver: one small table or one small collection. */
export const gateKeysStore: FeatureStore<GateKeysStorage> = {
  embedded: {
    migrations: [
      `CREATE TABLE gate_keys (
         rid INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         verify_until TEXT NOT NULL,
         doc TEXT NOT NULL
       );
       CREATE INDEX gate_keys_verify_until ON gate_keys (verify_until);`,
    ],
    open: (db) => ({ gateKeys: createEmbeddedGateKeys(db) }),
  },
  mongo: { open: async (conn) => ({ gateKeys: createMongoGateKeys(await gateKeyModel(conn)) }) },
};
