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
    // What the previous build left: the steps it had (stations, merchants and identity at 1), user_version 2, no schema_migrations.
    const legacy: Record<string, number> = { stations: 1, merchants: 1, identity: 1 };
    const old = new Database(path.join(dir, 'nuanxin.sqlite'));
    for (const f of features) for (const sql of f.store?.embedded.migrations.slice(0, legacy[f.name] ?? 0) ?? []) old.exec(sql);
    old.pragma('user_version = 2');
    old.close();
    const first = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    const s = await first.stations.create(stationInput(), new Date());
    await first.close();
    const again = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    expect((await again.stations.get(s.id))?.name).toBe(s.name);
    await again.close();
  });

  it('fills the riders\' phone column from the documents of a store made before it, so findByPhone finds them', async () => {
    const dir = tempDir();
    const before = features.flatMap((f) => (f.store ? [{ feature: f.name, migrations: f.store.embedded.migrations }] : []))
      .map((m) => (m.feature === 'identity' ? { ...m, migrations: m.migrations.slice(0, 2) } : m));
    const old = openDatabase(dir, 'normal', before);
    const doc = { id: '0123456789abcdef01234567', openid: 'o-old', phone: '13800138000', city: 'chongqing', status: 'active' };
    old.prepare('INSERT INTO riders (id, openid, city, status, doc) VALUES (?, ?, ?, ?, ?)').run(doc.id, doc.openid, doc.city, doc.status, JSON.stringify(doc));
    old.close();
    const storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    expect(await storage.riders.findByPhone('13800138000')).toMatchObject({ id: doc.id, openid: 'o-old' });
    await expect(storage.riders.findByPhone('13900139000')).resolves.toBeNull();
    await storage.close();
  });

  it('gives riders of a store made before bot contacts botContactId null, and a bot contact finds or makes its own rider', async () => {
    const dir = tempDir();
    const before = features.flatMap((f) => (f.store ? [{ feature: f.name, migrations: f.store.embedded.migrations }] : []))
      .map((m) => (m.feature === 'identity' ? { ...m, migrations: m.migrations.slice(0, 4) } : m));
    const old = openDatabase(dir, 'normal', before);
    const insert = old.prepare('INSERT INTO riders (id, openid, city, status, phone, doc) VALUES (?, ?, ?, ?, ?, ?)');
    for (const [id, openid] of [['0123456789abcdef01234567', 'o-old-1'], ['0123456789abcdef01234568', 'o-old-2']] as const) {
      insert.run(id, openid, null, 'active', null, JSON.stringify({ id, openid, city: null, status: 'active', phone: null }));
    }
    old.close();
    const storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    expect(await storage.riders.get('0123456789abcdef01234567')).toMatchObject({ openid: 'o-old-1', botContactId: null });
    const made = await storage.riders.findOrCreateByBotContact('wxid_new', new Date());
    expect(made).toMatchObject({ created: true, rider: { botContactId: 'wxid_new', openid: null } });
    expect((await storage.riders.findOrCreateByBotContact('wxid_new', new Date())).rider.id).toBe(made.rider.id);
    await storage.close();
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
