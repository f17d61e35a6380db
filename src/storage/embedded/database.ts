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
  // Identity. UNIQUE columns allow many NULLs, which is what unbound openids and bot contacts need.
  `CREATE TABLE riders (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     openid TEXT UNIQUE,
     city TEXT,
     status TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX riders_city ON riders (city, id);
   CREATE INDEX riders_status ON riders (status, id);
   CREATE TABLE staff (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     username TEXT NOT NULL UNIQUE,
     wechat_openid TEXT UNIQUE,
     bot_contact_id TEXT UNIQUE,
     city TEXT NOT NULL,
     role TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX staff_city ON staff (city, id);
   CREATE INDEX staff_role ON staff (role, id);
   CREATE TABLE one_time_codes (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     kind TEXT NOT NULL,
     code_hash TEXT NOT NULL UNIQUE,
     city TEXT,
     doc TEXT NOT NULL
   );
   CREATE INDEX one_time_codes_kind ON one_time_codes (kind, id);
   CREATE TABLE sessions (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     subject_type TEXT NOT NULL,
     subject_id TEXT NOT NULL,
     refresh_hash TEXT NOT NULL UNIQUE,
     doc TEXT NOT NULL
   );
   CREATE INDEX sessions_subject ON sessions (subject_type, subject_id);
   CREATE TABLE audit_entries (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     at TEXT NOT NULL,
     city TEXT,
     actor_id TEXT NOT NULL,
     action TEXT NOT NULL,
     object_type TEXT NOT NULL,
     object_id TEXT,
     doc TEXT NOT NULL
   );
   CREATE INDEX audit_city ON audit_entries (city, id);
   CREATE INDEX audit_actor ON audit_entries (actor_id, id);
   CREATE INDEX audit_action ON audit_entries (action, id);
   CREATE INDEX audit_object ON audit_entries (object_type, object_id, id);
   CREATE INDEX audit_at ON audit_entries (at);`,
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
