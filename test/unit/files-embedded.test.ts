// The embedded file store's own promises, beyond the contract: where the bytes live, what a failed or killed
// write leaves behind.
//
// The kill -9 test can fail. Checked by hand (and reverted, never committed): writeFileAtomic wrote straight to the
// target in 64 KiB pieces instead of temp file + rename. Failed 4 of 4 runs (a torn file under its key).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { filesStore } from '../../src/modules/files/storage';
import { sweepTempFiles, writeFileAtomic } from '../../src/modules/files/storage/atomic-file';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { CRASH_KEYS, isWhole } from '../helpers/file-writer';
import { tempDir } from '../helpers/storage';

const ROOT = path.resolve(__dirname, '../..');
const dirs: string[] = [];
const fresh = () => {
  const dir = tempDir('nuanxin-files-');
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('embedded file store', () => {
  it.each(['full', 'normal'] as const)('keeps the bytes at DATA_DIR/files/<key>, leaving no temp file (sync %s)', async (sync) => {
    const dir = fresh();
    const storage = createEmbeddedStorage({ dataDir: dir, sync });
    try {
      const data = Buffer.from('照片字节');
      await storage.files.put('hazards/6650a1b2c3d4e5f601234568/1.jpg', data, 'image/jpeg');
      expect(fs.readFileSync(path.join(dir, 'files', 'hazards', '6650a1b2c3d4e5f601234568', '1.jpg')).equals(data)).toBe(true);
      expect(fs.readdirSync(path.join(dir, 'files', '.tmp'))).toEqual([]);
      await storage.files.delete('hazards/6650a1b2c3d4e5f601234568/1.jpg');
      expect(fs.existsSync(path.join(dir, 'files', 'hazards', '6650a1b2c3d4e5f601234568', '1.jpg'))).toBe(false);
    } finally {
      await storage.close();
    }
  });

  it('leaves the old file and no temp file when a write fails before its rename', async () => {
    const dir = fresh();
    const tmpDir = path.join(dir, 'tmp');
    fs.mkdirSync(tmpDir);
    const target = path.join(dir, 'photo.jpg');
    fs.writeFileSync(target, 'old');
    // A directory where the new file's folder should be: mkdir fails, as a full disk or a permission would.
    fs.writeFileSync(path.join(dir, 'blocked'), 'a file, not a folder');
    await expect(writeFileAtomic(path.join(dir, 'blocked', 'x.jpg'), Buffer.from('new'), { tmpDir, durable: true })).rejects.toThrow();
    // A target that is a folder: the rename fails after the temp file was written.
    fs.mkdirSync(path.join(dir, 'folder.jpg', 'inside'), { recursive: true });
    await expect(writeFileAtomic(path.join(dir, 'folder.jpg'), Buffer.from('new'), { tmpDir, durable: true })).rejects.toThrow();
    expect(fs.readdirSync(tmpDir)).toEqual([]);
    expect(fs.readFileSync(target, 'utf8')).toBe('old');
  });

  it('sweeps temp files a crash left, but not one another process may be writing now', () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'old.tmp'), 'x');
    fs.writeFileSync(path.join(dir, 'young.tmp'), 'x');
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(dir, 'old.tmp'), hourAgo, hourAgo);
    expect(sweepTempFiles(dir, 60 * 60 * 1000)).toBe(1);
    expect(fs.readdirSync(dir)).toEqual(['young.tmp']);
  });

  it('refuses a database kept in memory: its files have no directory to live in', () => {
    const db = new Database(':memory:');
    db.exec(filesStore.embedded.migrations.join(';'));
    expect(() => filesStore.embedded.open(db)).toThrow(/database on disk/);
    db.close();
  });
});

describe('embedded file store across kill -9', () => {
  jest.setTimeout(60_000);

  /** Runs the writer until its n-th put has begun, then kills it; returns the acknowledged hashes by key. */
  async function writeAndKill(dir: string, n: number, acked: Map<string, string[]>): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/file-writer.ts', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let started = 0;
    await new Promise<void>((resolve, reject) => {
      const early = (code: number | null) => reject(new Error(`writer exited by itself with ${code}`));
      child.once('exit', early);
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        if (line === 'start') {
          // Killed while a write is under way, once every key has been written a few times.
          if (++started === n) {
            child.off('exit', early);
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }
          return;
        }
        const [key, hash] = line.split(' ') as [string, string];
        acked.set(key, [...(acked.get(key) ?? []), hash]);
      });
    });
  }

  it('never shows a part of a file under its key, and keeps every acknowledged put', async () => {
    const dir = fresh();
    const acked = new Map<string, string[]>();
    for (const n of [40, 29, 33]) {
      await writeAndKill(dir, n, acked);
      const storage = createEmbeddedStorage({ dataDir: dir, sync: 'full' });
      try {
        for (const key of CRASH_KEYS) {
          const onDisk = fs.readFileSync(path.join(dir, 'files', ...key.split('/')));
          expect(isWhole(onDisk)).toBe(true);
          const got = await storage.files.get(key);
          expect(got).not.toBeNull();
          const hash = createHash('sha256').update(got?.data as Buffer).digest('hex');
          const history = acked.get(key) ?? [];
          // The last acknowledged version, or a newer one the kill cut off before its acknowledgement: never an older one.
          expect(hash === history[history.length - 1] || !history.includes(hash)).toBe(true);
        }
      } finally {
        await storage.close();
      }
    }
  });
});
