import type { Db } from '../../../storage/embedded/database';
import { DocTable } from '../../../storage/embedded/doc-table';
import type { Open311Key, Open311KeyRepository } from '../open311.types';

/** The Open311 feature's table, one migration step (a step never changes once shipped). */
export const OPEN311_MIGRATIONS: readonly string[] = [
  `CREATE TABLE open311_keys (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     city TEXT NOT NULL,
     key_hash TEXT NOT NULL UNIQUE,
     doc TEXT NOT NULL
   );
   CREATE INDEX open311_keys_city ON open311_keys (city, id);`,
];

/** Open311 keys in the embedded store: looked up by hash through its unique column. */
export function createEmbeddedOpen311Keys(db: Db): Open311KeyRepository {
  const table = new DocTable<Open311Key>(db, {
    table: 'open311_keys', columns: ['city', 'key_hash'], toColumns: (k) => [k.city, k.keyHash], dates: ['createdAt', 'revokedAt'],
  });
  return {
    create: async (key) => table.insert({ ...key, revokedAt: null, revokedBy: null }),
    get: async (id) => table.get(id),
    findByHash: async (keyHash) => table.findOne([['key_hash = ?', keyHash]]),
    list: async (q) => table.list([['city = ?', q.city]], q),
    revoke: async (id, by, now) => table.transaction(() => {
      const key = table.get(id);
      if (!key || key.revokedAt) return key;
      const revoked = { ...key, revokedAt: now, revokedBy: by };
      table.replace(revoked);
      return revoked;
    }),
  };
}
