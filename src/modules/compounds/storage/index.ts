import type { FeatureStore } from '../../../feature';
import type { CompoundInput, CompoundRepository, CompoundsStorage } from '../compounds.types';
import { keepStored } from '../compounds.import';
import { compoundMigrations, openEmbeddedCompounds } from './embedded';
import { openMongoCompounds } from './mongo';

/**
 * An import updating a compound keeps the policy and notes its managers set unless the row has those columns
 * (compounds.import.ts marks such rows): the stored values are put in before the generic upsert compares and writes.
 */
function keepingManaged(s: CompoundsStorage): CompoundsStorage {
  const repo: CompoundRepository = s.compounds;
  const upsertMany: CompoundRepository['upsertMany'] = async (items, now) => {
    const merged: CompoundInput[] = [];
    for (const item of items) {
      const keep = keepStored.get(item);
      const current = keep && item.externalId ? await repo.getByExternalId(item.externalId) : null;
      merged.push(current && keep ? { ...item, ...Object.fromEntries(keep.map((k) => [k, current[k]])) } : item);
    }
    return repo.upsertMany(merged, now);
  };
  return { ...s, compounds: { ...repo, upsertMany } };
}

/** Compounds and everything about getting in: SQLite tables (compounds mirrored in memory) or MongoDB collections. */
export const compoundsStore: FeatureStore<CompoundsStorage> = {
  embedded: { migrations: compoundMigrations, open: (db) => keepingManaged(openEmbeddedCompounds(db)) },
  mongo: { open: async (conn) => keepingManaged(await openMongoCompounds(conn)) },
};
