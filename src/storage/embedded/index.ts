import { features, type Storage } from '../../features';
import { openDatabase } from './database';

/** The default driver: one SQLite file under dataDir, no external service; each feature brings its tables. */
export function createEmbeddedStorage(opts: { dataDir: string; sync: 'full' | 'normal' }): Storage {
  const stores = features.flatMap((f) => (f.store ? [{ feature: f.name, store: f.store }] : []));
  const db = openDatabase(opts.dataDir, opts.sync, stores.map(({ feature, store }) => ({ feature, migrations: store.embedded.migrations })));
  const repositories = Object.assign({}, ...stores.map(({ store }) => store.embedded.open(db))) as object;
  return Object.assign(repositories, {
    driver: 'embedded' as const,
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  }) as Storage;
}
