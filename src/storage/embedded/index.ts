import { features, type Storage } from '../../features';
import { openDatabase } from './database';
import { unitOfWork } from './unit-of-work';

/** The default driver: one SQLite file under dataDir, no external service; each feature brings its tables. */
export function createEmbeddedStorage(opts: { dataDir: string; sync: 'full' | 'normal' }): Storage {
  const stores = features.flatMap((f) => (f.store ? [{ feature: f.name, store: f.store }] : []));
  const db = openDatabase(opts.dataDir, opts.sync, stores.map(({ feature, store }) => ({ feature, migrations: store.embedded.migrations })));
  const uow = unitOfWork(db);
  // Every repository waits while another request's unit of work is open on the one connection (unit-of-work.ts).
  const repositories = Object.fromEntries(stores.flatMap(({ store }) =>
    Object.entries(store.embedded.open(db)).map(([name, repo]) => [name, uow.gate(repo as object)])));
  return Object.assign(repositories, {
    driver: 'embedded' as const,
    transactions: true,
    atomically: <T>(fn: () => Promise<T>) => uow.atomically(fn),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  }) as Storage;
}
