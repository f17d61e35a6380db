import { ConflictError } from '../../../shared/errors';
import type { Db } from '../../../storage/embedded/database';
import { DocTable } from '../../../storage/embedded/doc-table';
import { pickDefined } from '../../../storage/canonical';
import { isId, newId } from '../../../storage/ids';
import type { BodyRepository, ResponsibleBody } from '../bodies.types';

/** The bodies feature's tables, one migration step each (a step never changes once shipped). */
export const BODY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE hazard_bodies (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     city TEXT NOT NULL,
     name TEXT NOT NULL,
     type TEXT NOT NULL,
     active INTEGER NOT NULL,
     doc TEXT NOT NULL,
     UNIQUE (city, name)
   );
   CREATE INDEX hazard_bodies_city ON hazard_bodies (city, id);
   CREATE INDEX hazard_bodies_route ON hazard_bodies (city, type, active, id);`,
];

/** The one answer to a name the city already uses, from either driver. */
export const nameTaken = () => new ConflictError('本市已有同名的责任单位', { field: 'name' });

/** A unique (city, name) clash as the 409 naming `name`. */
export async function guardName<T>(write: () => Promise<T> | T): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ConflictError) throw nameTaken();
    throw err;
  }
}

/** Responsible bodies in the embedded store: one row each, the filters routing needs as columns. */
export function createEmbeddedBodies(db: Db): BodyRepository {
  const table = new DocTable<ResponsibleBody>(db, {
    table: 'hazard_bodies',
    columns: ['city', 'name', 'type', 'active'],
    toColumns: (b) => [b.city, b.name, b.type, b.active ? 1 : 0],
    dates: ['createdAt', 'updatedAt'],
  });
  const remove = db.prepare<[string]>('DELETE FROM hazard_bodies WHERE id = ?');
  return {
    create: (input, now) => guardName(() => table.insert({ ...input, id: newId(), createdAt: now, updatedAt: now })),
    get: async (id) => (isId(id) ? table.get(id) : null),
    update: (id, patch, now) => guardName(() => (isId(id)
      ? table.modify(id, (b) => ({ ...b, ...pickDefined(patch), id: b.id, city: b.city, createdAt: b.createdAt, updatedAt: now }))
      : null)),
    delete: async (id) => isId(id) && remove.run(id).changes > 0,
    list: async (q) => table.list([
      ['city = ?', q.city], ['type = ?', q.type], ['active = ?', q.active === undefined ? undefined : q.active ? 1 : 0],
    ], q),
    count: async (filter = {}) => table.count([['city = ?', filter.city]]),
  };
}
