import path from 'node:path';
import Database from 'better-sqlite3';
import { features } from '../../src/features';
import { openDatabase } from '../../src/storage/embedded/database';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { stationInput } from '../helpers/fixtures';
import { tempDir } from '../helpers/storage';

const versions = (db: Database.Database) =>
  Object.fromEntries((db.prepare('SELECT feature, version FROM schema_migrations').all() as Array<{ feature: string; version: number }>).map((r) => [r.feature, r.version]));

describe('embedded migrations, kept per feature', () => {
  it('records each feature at the number of its steps on a new store', async () => {
    const dir = tempDir();
    const storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    await storage.close();
    const db = new Database(path.join(dir, 'nuanxin.sqlite'));
    const expected = Object.fromEntries(features.flatMap((f) => (f.store ? [[f.name, f.store.embedded.migrations.length]] : [])));
    expect(versions(db)).toEqual(expected);
    db.close();
  });

  it('opens a store made before migrations were per feature (one PRAGMA user_version) without re-running them, data kept', async () => {
    const dir = tempDir();
    // What the previous build left: every table, user_version 2, no schema_migrations.
    const old = new Database(path.join(dir, 'nuanxin.sqlite'));
    for (const f of features) for (const sql of f.store?.embedded.migrations ?? []) old.exec(sql);
    old.pragma('user_version = 2');
    old.close();
    const first = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    const s = await first.stations.create(stationInput(), new Date());
    await first.close();
    const again = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    expect((await again.stations.get(s.id))?.name).toBe(s.name);
    await again.close();
  });

  it('runs only the steps a feature has not had yet, and refuses a store newer than the build', () => {
    const dir = tempDir();
    openDatabase(dir, 'normal', [{ feature: 'demo', migrations: ['CREATE TABLE a (x)'] }]).close();
    const db = openDatabase(dir, 'normal', [{ feature: 'demo', migrations: ['CREATE TABLE a (x)', 'CREATE TABLE b (y)'] }]);
    expect(versions(db)).toEqual({ demo: 2 });
    db.close();
    expect(() => openDatabase(dir, 'normal', [{ feature: 'demo', migrations: ['CREATE TABLE a (x)'] }])).toThrow('newer than this build');
  });
});
