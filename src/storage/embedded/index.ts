import type { Storage } from '../storage';
import { createEmbeddedAudit } from './audit';
import { createEmbeddedCodes } from './codes';
import { openDatabase } from './database';
import { createEmbeddedMerchants } from './merchants';
import { createEmbeddedRiders } from './riders';
import { createEmbeddedSessions } from './sessions';
import { createEmbeddedStaff } from './staff';
import { createEmbeddedStations } from './stations';

/** The default driver: one SQLite file under dataDir, no external service. */
export function createEmbeddedStorage(opts: { dataDir: string; sync: 'full' | 'normal' }): Storage {
  const db = openDatabase(opts.dataDir, opts.sync);
  return {
    driver: 'embedded',
    stations: createEmbeddedStations(db),
    merchants: createEmbeddedMerchants(db),
    riders: createEmbeddedRiders(db),
    staff: createEmbeddedStaff(db),
    codes: createEmbeddedCodes(db),
    sessions: createEmbeddedSessions(db),
    audit: createEmbeddedAudit(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
