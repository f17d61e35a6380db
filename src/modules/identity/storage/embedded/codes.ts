import { CODE_RETENTION_S } from '../../identity.types';
import { newId } from '../../../../storage/ids';
import type { OneTimeCode, OneTimeCodeRepository } from '../../identity.types';
import type { Db } from '../../../../storage/embedded/database';
import { DocTable } from '../../../../storage/embedded/doc-table';

/** Single-use codes in the embedded store; consume and release are atomic read-then-writes. */
export function createEmbeddedCodes(db: Db): OneTimeCodeRepository {
  const table = new DocTable<OneTimeCode>(db, {
    table: 'one_time_codes',
    columns: ['kind', 'code_hash', 'city'],
    toColumns: (c) => [c.kind, c.codeHash, c.city],
    dates: ['expiresAt', 'usedAt', 'createdAt'],
    expiresField: 'expiresAt',
    keepExpiredMs: CODE_RETENTION_S * 1000,
  });
  return {
    create: async (input, now) => table.insert({ ...input, id: newId(), usedAt: null, usedBy: null, createdAt: now }),
    findByHash: async (kind, codeHash) => table.findOne([['kind = ?', kind], ['code_hash = ?', codeHash]]),
    consume: async (id, usedBy, now) => table.modify(id, (c) => (c.usedAt ? null : { ...c, usedAt: now, usedBy })) !== null,
    release: async (id) => {
      table.modify(id, (c) => (c.usedAt || c.usedBy ? { ...c, usedAt: null, usedBy: null } : null));
    },
    list: async (q) => table.list([['kind = ?', q.kind], ['city = ?', q.city]], q),
  };
}
