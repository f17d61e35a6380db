import fs from 'node:fs';
import { features } from '../../src/features';
import { emptyHoldings, holdingsOf } from '../../src/modules/identity/holdings';
import { staffPrincipal } from '../../src/modules/identity/principal';
import { staffView } from '../../src/modules/identity/views';
import { openDatabase } from '../../src/storage/embedded/database';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { tempDir } from '../helpers/storage';

describe('staff holdings of responsible bodies', () => {
  it('gives staff stored before bodies existed an empty bodyIds once the store is opened', async () => {
    const dir = tempDir();
    // The identity feature up to the step that added bodyIds (later steps left out too), as a store of that build.
    const upTo = (steps: readonly string[]) => steps.slice(0, steps.findIndex((m) => m.includes("'$.bodyIds'")));
    const before = features.flatMap((f) => (f.store ? [{ feature: f.name, migrations: f.store.embedded.migrations }] : []))
      .map((m) => (m.feature === 'identity' ? { ...m, migrations: upTo(m.migrations) } : m));
    const old = openDatabase(dir, 'normal', before);
    const doc = {
      id: '0123456789abcdef01234567', username: 'old-op', displayName: '老运营方', passwordHash: null, role: 'station_operator', city: 'chongqing',
      status: 'active', isDemo: false, stationIds: ['s1'], merchantIds: [], compoundIds: [], wechatOpenid: null, botContactId: null,
      failedLogins: 0, lockedUntil: null, lastLoginAt: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    };
    old.prepare('INSERT INTO staff (id, username, city, role, doc) VALUES (?, ?, ?, ?, ?)').run(doc.id, doc.username, doc.city, doc.role, JSON.stringify(doc));
    old.close();
    const storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    try {
      const staff = await storage.staff.get(doc.id);
      expect(staff).toMatchObject({ stationIds: ['s1'], bodyIds: [] });
    } finally {
      await storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a record without a holding list as holding none of that kind, in principals and views', () => {
    expect(emptyHoldings()).toEqual({ stationIds: [], merchantIds: [], compoundIds: [], bodyIds: [] });
    expect(holdingsOf({ compoundIds: ['c1'] })).toEqual({ stationIds: [], merchantIds: [], compoundIds: ['c1'], bodyIds: [] });
    const staff = {
      id: 'x', username: 'u', displayName: 'd', passwordHash: null, role: 'body_staff', city: 'chengdu', status: 'active', isDemo: false,
      stationIds: [], merchantIds: [], compoundIds: [], wechatOpenid: null, botContactId: null, failedLogins: 0, lockedUntil: null, lastLoginAt: null,
      createdAt: new Date(0), updatedAt: new Date(0),
    } as never;
    expect(staffPrincipal(staff, 'sess')).toMatchObject({ bodyIds: [] });
    expect(staffView(staff).holdings).toEqual(emptyHoldings());
  });
});
