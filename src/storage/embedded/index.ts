import { features, type Storage } from '../../features';
import { memoryLimiterStore } from '../../shared/rate-limit';
import { systemClock, type Clock } from '../../shared/time';
import { openDatabase } from './database';
import { startHousekeeping } from './housekeeping';
import { unitOfWork } from './unit-of-work';

export interface EmbeddedOptions {
  dataDir: string;
  sync: 'full' | 'normal';
  /** Time for the expiry purge: the wall clock unless a test fixes it (MongoDB's TTL monitor uses the server's). */
  clock?: Clock;
  /** How often expired rows are purged after the purge at open. Default: hourly. */
  housekeepingIntervalMs?: number;
  /** Told about a failed periodic purge (the next round retries). */
  onHousekeepingError?: (err: unknown) => void;
}

/** The default driver: one SQLite file under dataDir, no external service; each feature brings its tables. */
export function createEmbeddedStorage(opts: EmbeddedOptions): Storage {
  const stores = features.flatMap((f) => (f.store ? [{ feature: f.name, store: f.store }] : []));
  const db = openDatabase(opts.dataDir, opts.sync, stores.map(({ feature, store }) => ({ feature, migrations: store.embedded.migrations })));
  const uow = unitOfWork(db);
  // Every repository waits while another request's unit of work is open on the one connection (unit-of-work.ts).
  const repositories = Object.fromEntries(stores.flatMap(({ store }) =>
    Object.entries(store.embedded.open(db)).map(([name, repo]) => [name, uow.gate(repo as object)])));
  // Sessions and one-time codes past expiresAt are deleted now and hourly, as MongoDB's TTL index does there.
  const clock = opts.clock ?? systemClock;
  const housekeeping = startHousekeeping(db, clock, {
    intervalMs: opts.housekeepingIntervalMs, whenFree: (fn) => uow.whenFree(fn), onError: opts.onHousekeepingError,
  });
  return Object.assign(repositories, {
    driver: 'embedded' as const,
    transactions: true,
    atomically: <T>(fn: () => Promise<T>) => uow.atomically(fn),
    limiterStore: () => memoryLimiterStore,
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      housekeeping.stop();
      if (db.open) db.close();
    },
  }) as Storage;
}
