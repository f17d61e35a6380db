import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Schema steps, applied in order once each; PRAGMA user_version records how many ran. */
const MIGRATIONS: string[] = [
  `CREATE TABLE stations (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     external_id TEXT UNIQUE,
     city TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX stations_city ON stations (city, id);
   CREATE TABLE merchants (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     external_id TEXT UNIQUE,
     city TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX merchants_city ON merchants (city, id);`,
];

/** Opens (creating if needed) the embedded database with WAL and the chosen fsync level, and migrates it. */
export function openDatabase(dataDir: string, sync: 'full' | 'normal'): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'nuanxin.sqlite'));
  db.pragma('journal_mode = WAL');
  // FULL fsyncs the WAL on every commit: an acknowledged write survives kill -9 and power loss alike.
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`embedded database is at schema ${current}, newer than this build (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
