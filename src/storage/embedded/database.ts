import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** One feature's schema steps, applied in order once each. */
export interface FeatureMigrations {
  feature: string;
  migrations: readonly string[];
}

/**
 * Stores made before migrations were kept per feature recorded one global PRAGMA user_version; these are the
 * feature versions each of its steps stood for, so such a store migrates on without re-running anything.
 */
const LEGACY_STEPS: ReadonlyArray<Record<string, number>> = [{ stations: 1, merchants: 1 }, { identity: 1 }];

/** Opens (creating if needed) the embedded database with WAL and the chosen fsync level, and migrates every feature. */
export function openDatabase(dataDir: string, sync: 'full' | 'normal', features: readonly FeatureMigrations[]): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'nuanxin.sqlite'));
  db.pragma('journal_mode = WAL');
  // FULL fsyncs the WAL on every commit: an acknowledged write survives kill -9 and power loss alike.
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db, features);
  return db;
}

function adoptLegacyVersion(db: Db): void {
  const legacy = db.pragma('user_version', { simple: true }) as number;
  if (legacy === 0) return;
  const insert = db.prepare('INSERT OR REPLACE INTO schema_migrations (feature, version) VALUES (?, ?)');
  for (const step of LEGACY_STEPS.slice(0, legacy)) for (const [feature, version] of Object.entries(step)) insert.run(feature, version);
  db.pragma('user_version = 0');
}

function migrate(db: Db, features: readonly FeatureMigrations[]): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (feature TEXT PRIMARY KEY, version INTEGER NOT NULL)');
    adoptLegacyVersion(db);
  }).immediate();
  const versionOf = db.prepare<[string], { version: number }>('SELECT version FROM schema_migrations WHERE feature = ?');
  const record = db.prepare('INSERT OR REPLACE INTO schema_migrations (feature, version) VALUES (?, ?)');
  for (const { feature, migrations } of features) {
    const current = versionOf.get(feature)?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(`embedded database has ${feature} at schema ${current}, newer than this build (${migrations.length})`);
    }
    for (let v = current; v < migrations.length; v++) {
      db.transaction(() => {
        db.exec(migrations[v] as string);
        record.run(feature, v + 1);
      }).immediate();
    }
  }
}

/** The table of a located aggregate (document as JSON plus the columns queries filter on). Features use it as a
 * migration step, so it must never change: a later change to such a table is a new step. */
export function placeTableSql(table: string): string {
  return `CREATE TABLE ${table} (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     external_id TEXT UNIQUE,
     city TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX ${table}_city ON ${table} (city, id);`;
}
