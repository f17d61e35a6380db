import { ConflictError } from '../../../shared/errors';
import type { Db } from '../../../storage/embedded/database';
import { DocTable } from '../../../storage/embedded/doc-table';
import { newId } from '../../../storage/ids';
import type { Attestation, AttestationRepository, NonceRepository, PlatformKey, PlatformKeyRepository, UsedNonce } from '../platforms.types';

/** The tables of the platforms feature, one migration step each (a step never changes once shipped). */
export const PLATFORM_MIGRATIONS: readonly string[] = [
  `CREATE TABLE platform_keys (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     city TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX platform_keys_city ON platform_keys (city, id);
   CREATE TABLE platform_attestations (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     rider_id TEXT NOT NULL,
     observed_at TEXT NOT NULL,
     received_at TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX platform_attestations_latest ON platform_attestations (rider_id, observed_at, received_at, id);
   CREATE TABLE platform_nonces (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     key_id TEXT NOT NULL,
     nonce TEXT NOT NULL,
     doc TEXT NOT NULL,
     UNIQUE (key_id, nonce)
   );
   CREATE INDEX platform_nonces_expires ON platform_nonces (json_extract(doc, '$.expiresAt'));`,
];

/** Platform keys in the embedded store. */
export function createEmbeddedPlatformKeys(db: Db): PlatformKeyRepository {
  const table = new DocTable<PlatformKey>(db, {
    table: 'platform_keys', columns: ['city'], toColumns: (k) => [k.city], dates: ['createdAt', 'revokedAt'],
  });
  return {
    create: async (key) => table.insert({ ...key, revokedAt: null, revokedBy: null }),
    get: async (id) => table.get(id),
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

/** Attestations in the embedded store; the latest per rider is one index seek. */
export function createEmbeddedAttestations(db: Db): AttestationRepository {
  const table = new DocTable<Attestation>(db, {
    table: 'platform_attestations',
    columns: ['rider_id', 'observed_at', 'received_at'],
    toColumns: (a) => [a.riderId, a.observedAt.toISOString(), a.receivedAt.toISOString()],
    dates: ['activeSince', 'observedAt', 'receivedAt'],
  });
  const latest = db.prepare<[string], string>(
    'SELECT id FROM platform_attestations WHERE rider_id = ? ORDER BY observed_at DESC, received_at DESC, id DESC LIMIT 1',
  ).pluck();
  return {
    create: async (input) => table.insert({ ...input, id: newId() }),
    async latestFor(riderId) {
      const id = latest.get(riderId);
      return id === undefined ? null : table.get(id);
    },
  };
}

/** Used nonces in the embedded store: a unique (key, nonce) row, deleted at open and hourly once expired. */
export function createEmbeddedNonces(db: Db): NonceRepository {
  const table = new DocTable<UsedNonce>(db, {
    table: 'platform_nonces', columns: ['key_id', 'nonce'], toColumns: (n) => [n.keyId, n.nonce],
    dates: ['expiresAt'], expiresField: 'expiresAt',
  });
  return {
    async claim(keyId, nonce, expiresAt) {
      try {
        table.insert({ id: newId(), keyId, nonce, expiresAt });
        return true;
      } catch (err) {
        if (err instanceof ConflictError) return false;
        throw err;
      }
    },
  };
}
