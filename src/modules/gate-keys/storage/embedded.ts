import type { Db } from '../../../storage/embedded/database';
import { DocTable } from '../../../storage/embedded/doc-table';
import type { GateKey, GateKeyRepository } from '../gate-keys.types';

const MAX_KEYS = 100;

/** Gate signing keys in the embedded store. Expired keys are purged by the service with its clock, not by a chore. */
export function createEmbeddedGateKeys(db: Db): GateKeyRepository {
  const table = new DocTable<GateKey>(db, {
    table: 'gate_keys',
    columns: ['verify_until'],
    toColumns: (k) => [k.verifyUntil.toISOString()],
    dates: ['createdAt', 'signFrom', 'signUntil', 'verifyUntil'],
  });
  const purge = db.prepare('DELETE FROM gate_keys WHERE verify_until < ?');
  return {
    insert: async (key) => table.insert(key),
    // ISO text of one fixed width compares in time order.
    listVerifying: async (at) => table.list([['verify_until > ?', at.toISOString()]], { limit: MAX_KEYS }),
    purgeExpired: async (before) => purge.run(before.toISOString()).changes,
  };
}
