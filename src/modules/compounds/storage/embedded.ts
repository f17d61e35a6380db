import { newId } from '../../../storage/ids';
import { pageLimit } from '../../../storage/limits';
import type { Db } from '../../../storage/embedded/database';
import { DocTable } from '../../../storage/embedded/doc-table';
import { createGeoRepository } from '../../../storage/embedded/geo-repository';
import { ConflictError } from '../../../shared/errors';
import type {
  AccessRequest, AccessRequestRepository, Block, BlockRepository, Compound, CompoundInput, CompoundNearbyQuery, CompoundRepository,
  CompoundsStorage, EntryEvent, EntryRepository, GateDevice, GateDeviceRepository, Pass, PassRepository, TokenUse, TokenUseRepository,
} from '../compounds.types';
import { compoundFingerprint } from './fingerprint';
import { newCompoundCode } from './codes';

/** The tables of the compounds feature; each step runs once per store (schema_migrations). */
export const compoundMigrations: readonly string[] = [
  `CREATE TABLE compounds (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     external_id TEXT UNIQUE,
     city TEXT NOT NULL,
     code TEXT NOT NULL UNIQUE,
     doc TEXT NOT NULL
   );
   CREATE INDEX compounds_city ON compounds (city, id);
   CREATE TABLE access_requests (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     compound_id TEXT NOT NULL,
     city TEXT NOT NULL,
     rider_id TEXT NOT NULL,
     status TEXT NOT NULL,
     created_at TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX access_requests_compound ON access_requests (compound_id, status, id);
   CREATE INDEX access_requests_rider ON access_requests (rider_id, compound_id, status);
   CREATE INDEX access_requests_city ON access_requests (city, status, id);
   CREATE TABLE passes (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     compound_id TEXT NOT NULL,
     number INTEGER NOT NULL,
     rider_id TEXT NOT NULL,
     status TEXT NOT NULL,
     valid_to TEXT NOT NULL,
     doc TEXT NOT NULL,
     UNIQUE (compound_id, number)
   );
   CREATE INDEX passes_rider ON passes (rider_id, compound_id, status);
   CREATE INDEX passes_expiry ON passes (status, valid_to);
   CREATE TABLE entry_events (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     compound_id TEXT NOT NULL,
     rider_id TEXT,
     at TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX entry_events_compound ON entry_events (compound_id, id);
   CREATE INDEX entry_events_rider ON entry_events (compound_id, rider_id, id);
   CREATE TABLE compound_blocks (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     compound_id TEXT NOT NULL,
     rider_id TEXT NOT NULL,
     active INTEGER NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX compound_blocks_rider ON compound_blocks (rider_id, compound_id, active);
   CREATE INDEX compound_blocks_compound ON compound_blocks (compound_id, id);
   CREATE TABLE token_uses (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     compound_id TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX token_uses_expires ON token_uses (json_extract(doc, '$.expiresAt'));
   CREATE TABLE gate_devices (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     compound_id TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     doc TEXT NOT NULL
   );
   CREATE INDEX gate_devices_compound ON gate_devices (compound_id, id);`,
];


function reviveCompound(raw: Record<string, unknown>): Compound {
  const c = raw as unknown as Compound;
  return { ...c, createdAt: new Date(c.createdAt), updatedAt: new Date(c.updatedAt) };
}

const contains = (needle: string) => {
  const n = needle.toLowerCase();
  return (c: Compound) => c.name.toLowerCase().includes(n) || c.address.toLowerCase().includes(n);
};

function createEmbeddedCompounds(db: Db): CompoundRepository {
  const { patch: _patch, findOne, scan, ...repo } = createGeoRepository<CompoundInput, Compound, CompoundNearbyQuery>(db, {
    table: 'compounds',
    revive: reviveCompound,
    build: (input, now) => ({ ...input, id: newId(), code: newCompoundCode(), createdAt: now, updatedAt: now }),
    fingerprint: compoundFingerprint,
    filter: (q) => (c) => !q.city || c.city === q.city,
    columns: { names: ['code'], values: (c) => [c.code] },
  });
  return {
    ...repo,
    search: async (q) => scan((c) => (!q.city || c.city === q.city) && contains(q.text)(c), q.limit),
    findByCode: async (code) => findOne({ sql: 't.code = ?', params: [code] }),
  };
}

function createEmbeddedRequests(db: Db): AccessRequestRepository {
  const table = new DocTable<AccessRequest>(db, {
    table: 'access_requests',
    columns: ['compound_id', 'city', 'rider_id', 'status', 'created_at'],
    toColumns: (r) => [r.compoundId, r.city, r.riderId, r.status, r.createdAt.toISOString()],
    dates: ['decidedAt', 'createdAt', 'updatedAt'],
  });
  return {
    create: async (r) => table.insert(r),
    get: async (id) => table.get(id),
    findPending: async (riderId, compoundId) => table.findOne([['rider_id = ?', riderId], ['compound_id = ?', compoundId], ['status = ?', 'pending']]),
    decide: async (id, d) => table.modify(id, (r) => (r.status === 'pending' ? { ...r, ...d, updatedAt: d.decidedAt ?? r.updatedAt } : null)),
    list: async (q) => {
      // A manager's list spans the compounds they hold.
      if (q.compoundIds) return listIn(table, q.compoundIds, q);
      return table.list([
        ['city = ?', q.city], ['rider_id = ?', q.riderId], ['status = ?', q.status],
        ['created_at >= ?', q.createdSince?.toISOString()], ['created_at < ?', q.createdBefore?.toISOString()],
      ], { limit: q.limit, after: q.after });
    },
  };
}

/** Requests of several compounds, ids ascending: one keyset page per compound, merged. */
function listIn(table: DocTable<AccessRequest>, ids: readonly string[], q: Parameters<AccessRequestRepository['list']>[0]): AccessRequest[] {
  const all = ids.flatMap((compoundId) => table.list([
    ['compound_id = ?', compoundId], ['city = ?', q.city], ['rider_id = ?', q.riderId], ['status = ?', q.status],
    ['created_at >= ?', q.createdSince?.toISOString()], ['created_at < ?', q.createdBefore?.toISOString()],
  ], { limit: q.limit, after: q.after }));
  return all.sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, q.limit);
}

function createEmbeddedPasses(db: Db): PassRepository {
  const table = new DocTable<Pass>(db, {
    table: 'passes',
    columns: ['compound_id', 'number', 'rider_id', 'status', 'valid_to'],
    toColumns: (p) => [p.compoundId, p.number, p.riderId, p.status, p.validTo.toISOString()],
    dates: ['validFrom', 'validTo', 'revokedAt', 'expiryNoticeAt', 'createdAt', 'updatedAt'],
  });
  const nextNumber = db.prepare('SELECT coalesce(max(number), 0) + 1 FROM passes WHERE compound_id = ?').pluck();
  const countActive = db.prepare("SELECT count(*) FROM passes WHERE compound_id = ? AND status = 'active' AND valid_to > ?").pluck();
  const activeOf = db.prepare("SELECT id FROM passes WHERE rider_id = ? AND compound_id = ? AND status = 'active' ORDER BY id").pluck();
  // The notice test is in SQL: filtering after the LIMIT let earlier-ending noticed passes hide the ones still due.
  const expiring = db.prepare(`SELECT id FROM passes WHERE status = 'active' AND valid_to > ? AND valid_to <= ?
    AND json_extract(doc, '$.expiryNoticeAt') IS NULL ORDER BY valid_to LIMIT ?`).pluck();
  const revoke = (p: Pass, by: string, reason: string, at: Date): Pass | null =>
    p.status === 'active' ? { ...p, status: 'revoked', revokedAt: at, revokedBy: by, revokeReason: reason, updatedAt: at } : null;
  return {
    create: async (p) => table.transaction(() => table.insert({ ...p, number: nextNumber.get(p.compoundId) as number })),
    get: async (id) => table.get(id),
    findByNumber: async (compoundId, number) => table.findOne([['compound_id = ?', compoundId], ['number = ?', number]]),
    findCurrent: async (riderId, compoundId, at) => {
      const ids = activeOf.all(riderId, compoundId) as string[];
      const current = ids.map((id) => table.get(id)).filter((p): p is Pass => !!p && p.validFrom <= at && at < p.validTo);
      return current.sort((a, b) => b.validTo.getTime() - a.validTo.getTime())[0] ?? null;
    },
    listByRider: async (riderId, q) => table.list([['rider_id = ?', riderId]], { limit: q.limit, after: q.after }),
    revoke: async (id, by, reason, at) => table.modify(id, (p) => revoke(p, by, reason, at)),
    revokeAllOf: async (riderId, compoundId, by, reason, at) =>
      table.transaction(() => (activeOf.all(riderId, compoundId) as string[]).flatMap((id) => table.modify(id, (p) => revoke(p, by, reason, at)) ?? [])),
    countActive: async (compoundId, at) => countActive.get(compoundId, at.toISOString()) as number,
    expiringWithoutNotice: async (now, until, limit) =>
      (expiring.all(now.toISOString(), until.toISOString(), pageLimit(limit)) as string[])
        .map((id) => table.get(id)).filter((p): p is Pass => !!p && !p.expiryNoticeAt),
    markExpiryNotice: async (id, at) => table.modify(id, (p) => (p.expiryNoticeAt ? null : { ...p, expiryNoticeAt: at })) !== null,
  };
}

function createEmbeddedEntries(db: Db): EntryRepository {
  const table = new DocTable<EntryEvent>(db, {
    table: 'entry_events',
    columns: ['compound_id', 'rider_id', 'at'],
    toColumns: (e) => [e.compoundId, e.riderId, e.at.toISOString()],
    dates: ['at'],
  });
  return {
    record: async (e) => table.insert(e),
    recordMany: async (es) => {
      table.transaction(() => {
        for (const e of es) table.insert(e);
      });
    },
    list: async (q) => table.list([
      ['compound_id = ?', q.compoundId], ['rider_id = ?', q.riderId], ['at >= ?', q.since?.toISOString()], ['at < ?', q.until?.toISOString()],
    ], { limit: q.limit, before: q.before, newestFirst: true }),
  };
}

function createEmbeddedBlocks(db: Db): BlockRepository {
  const table = new DocTable<Block>(db, {
    table: 'compound_blocks',
    columns: ['compound_id', 'rider_id', 'active'],
    toColumns: (b) => [b.compoundId, b.riderId, b.liftedAt ? 0 : 1],
    dates: ['createdAt', 'liftedAt'],
  });
  const findActive = (riderId: string, compoundId: string) => table.findOne([['rider_id = ?', riderId], ['compound_id = ?', compoundId], ['active = ?', 1]]);
  return {
    create: async (b) => table.transaction(() => {
      if (findActive(b.riderId, b.compoundId)) throw new ConflictError('该骑手已被本小区禁止进入', { field: 'riderId' });
      return table.insert(b);
    }),
    findActive: async (riderId, compoundId) => findActive(riderId, compoundId),
    lift: async (id, by, at) => table.modify(id, (b) => (b.liftedAt ? null : { ...b, liftedAt: at, liftedBy: by })),
    list: async (q) => table.list([['compound_id = ?', q.compoundId]], { limit: q.limit, after: q.after }),
  };
}

function createEmbeddedTokenUses(db: Db): TokenUseRepository {
  const table = new DocTable<TokenUse & { id: string }>(db, {
    table: 'token_uses',
    columns: ['compound_id'],
    toColumns: (u) => [u.compoundId],
    dates: ['expiresAt'],
    expiresField: 'expiresAt',
  });
  return {
    async claim(u) {
      try {
        table.insert({ ...u, id: `${u.compoundId}:${u.jti}` });
        return true;
      } catch (err) {
        if (err instanceof ConflictError) return false;
        throw err;
      }
    },
  };
}

function createEmbeddedDevices(db: Db): GateDeviceRepository {
  const table = new DocTable<GateDevice>(db, {
    table: 'gate_devices',
    columns: ['compound_id', 'token_hash'],
    toColumns: (d) => [d.compoundId, d.tokenHash],
    dates: ['createdAt', 'revokedAt'],
  });
  return {
    create: async (d) => table.insert(d),
    get: async (id) => table.get(id),
    findByTokenHash: async (hash) => table.findOne([['token_hash = ?', hash]]),
    revoke: async (id, at) => table.modify(id, (d) => (d.revokedAt ? null : { ...d, revokedAt: at })),
    list: async (q) => table.list([['compound_id = ?', q.compoundId]], { limit: q.limit, after: q.after }),
  };
}

/** Compounds, access requests, passes, entries, blocks, QR token uses and gate devices in the embedded store. */
export function openEmbeddedCompounds(db: Db): CompoundsStorage {
  return {
    compounds: createEmbeddedCompounds(db),
    accessRequests: createEmbeddedRequests(db),
    passes: createEmbeddedPasses(db),
    entries: createEmbeddedEntries(db),
    blocks: createEmbeddedBlocks(db),
    tokenUses: createEmbeddedTokenUses(db),
    gateDevices: createEmbeddedDevices(db),
  };
}
