import path from 'node:path';
import Database from 'better-sqlite3';
import { CODE_RETENTION_S } from '../../src/modules/identity/identity.types';
import { fixedClock } from '../../src/shared/time';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { openDatabase } from '../../src/storage/embedded/database';
import { addChore, startHousekeeping } from '../../src/storage/embedded/housekeeping';
import { tempDir } from '../helpers/storage';

const NOW = new Date('2026-11-25T04:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function seed(dataDir: string) {
  const clock = fixedClock(NOW);
  return createEmbeddedStorage({ dataDir, sync: 'normal', clock });
}

describe('embedded purge of expired sessions and one-time codes', () => {
  it('deletes what expired before the store opened, and keeps the rest', async () => {
    const dir = tempDir();
    const s = seed(dir);
    const gone = await s.sessions.create({ subjectType: 'staff', subjectId: 's1', refreshHash: 'r-old', expiresAt: later(HOUR) }, NOW);
    const kept = await s.sessions.create({ subjectType: 'staff', subjectId: 's1', refreshHash: 'r-new', expiresAt: later(3 * HOUR) }, NOW);
    const oldCode = await s.codes.create({ kind: 'invitation', codeHash: 'h-old', payload: {}, city: 'chongqing', createdBy: null, expiresAt: later(HOUR) }, NOW);
    const newCode = await s.codes.create({ kind: 'bot_bind', codeHash: 'h-new', payload: {}, city: null, createdBy: null, expiresAt: later(3 * HOUR) }, NOW);
    await s.close();

    // Sessions go once expired; codes are kept CODE_RETENTION_S longer, so they still answer "expired".
    const reopened = createEmbeddedStorage({ dataDir: dir, sync: 'normal', clock: fixedClock(later(2 * HOUR)) });
    await expect(reopened.sessions.get(gone.id)).resolves.toBeNull();
    await expect(reopened.sessions.get(kept.id)).resolves.toEqual(kept);
    await expect(reopened.codes.findByHash('invitation', oldCode.codeHash)).resolves.toEqual(oldCode);
    await reopened.close();
    const muchLater = createEmbeddedStorage({ dataDir: dir, sync: 'normal', clock: fixedClock(later(2 * HOUR + CODE_RETENTION_S * 1000)) });
    await expect(muchLater.codes.findByHash('invitation', oldCode.codeHash)).resolves.toBeNull();
    await expect(muchLater.codes.findByHash('bot_bind', newCode.codeHash)).resolves.toEqual(newCode);
    await muchLater.close();
  });

  it('purges again on its timer while the store stays open, and stops on close', async () => {
    const clock = fixedClock(NOW);
    const s = createEmbeddedStorage({ dataDir: tempDir(), sync: 'normal', clock, housekeepingIntervalMs: 20 });
    const session = await s.sessions.create({ subjectType: 'rider', subjectId: 'r1', refreshHash: 'r-1', expiresAt: later(HOUR) }, NOW);
    await sleep(60);
    await expect(s.sessions.get(session.id)).resolves.not.toBeNull();
    clock.advance(2 * HOUR);
    await sleep(100);
    await expect(s.sessions.get(session.id)).resolves.toBeNull();
    await s.close();
  });

  it('runs chores at start and on the timer until stopped, never while another unit of work holds the database', async () => {
    const db = openDatabase(tempDir(), 'normal', []);
    let runs = 0;
    addChore(db, () => ++runs);
    let release!: () => void;
    let busy: Promise<void> | null = new Promise<void>((r) => (release = r));
    const keeper = startHousekeeping(db, fixedClock(NOW), { intervalMs: 10, whenFree: (fn) => (busy ? busy.then(fn) : fn()) });
    expect(runs).toBe(1);
    await sleep(60);
    expect(runs).toBe(1); // the timer waited for the database to be free
    release();
    busy = null;
    await sleep(60);
    expect(runs).toBeGreaterThan(1);
    keeper.stop();
    const stoppedAt = runs;
    await sleep(60);
    expect(runs).toBe(stoppedAt);
    db.close();
  });

  it('finds expired rows through the expression index, not a scan of every JSON document', async () => {
    const dir = tempDir();
    await seed(dir).close();
    const db = new Database(path.join(dir, 'nuanxin.sqlite'), { readonly: true });
    for (const table of ['sessions', 'one_time_codes']) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN DELETE FROM ${table} WHERE json_extract(doc, '$.expiresAt') < ?`).all('x') as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX \w+_expires/);
    }
    db.close();
  });
});
