import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../storage/embedded/database';
import { unitOfWork } from '../../../storage/embedded/unit-of-work';
import { checkContentType, checkFileKey, type FileStore } from '../files.types';
import { removeFile, sweepTempFiles, writeFileAtomic } from './atomic-file';
import { keyedQueue } from './keyed-queue';

/** One row per file: its content type and size. The bytes live on disk under DATA_DIR/files/<key>. */
export const FILES_EMBEDDED_MIGRATIONS = [
  `CREATE TABLE files (
     key TEXT PRIMARY KEY,
     content_type TEXT NOT NULL,
     bytes INTEGER NOT NULL
   ) WITHOUT ROWID;`,
] as const;

const STALE_TEMP_MS = 60 * 60 * 1000;
const SYNCHRONOUS_FULL = 2;

/**
 * DATA_DIR/files: beside the database file, which openDatabase puts at DATA_DIR/nuanxin.sqlite (better-sqlite3's
 * Database#name is that path). A feature's embedded store is opened with the Db alone, and the data directory is
 * the database's own, so it is taken from there rather than widening every feature's open() for one of them.
 */
export function filesDirOf(db: Db): string {
  if (db.memory) throw new Error('the embedded file store needs a database on disk: its files live beside it');
  return path.join(path.dirname(path.resolve(db.name)), 'files');
}

/**
 * Files on the embedded driver. A put writes the bytes atomically (temp file, fsync, rename, fsync of the
 * directory) and then records the key's row; the row is what makes a file exist, as GridFS's files document does
 * after its chunks, so a crash between the two leaves an unlisted file that the next put of the key replaces.
 * fsyncs follow the database's own level (EMBEDDED_SYNC): with 'normal' a process crash still never leaves a part
 * of a file under its name, but a power loss may. Puts and deletes of one key run one at a time.
 */
export function createEmbeddedFileStore(db: Db): FileStore {
  const root = filesDirOf(db);
  const tmpDir = path.join(root, '.tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  sweepTempFiles(tmpDir, STALE_TEMP_MS);
  const durable = (db.pragma('synchronous', { simple: true }) as number) >= SYNCHRONOUS_FULL;
  // Statements after an await must wait for another request's open unit of work, as gated repository calls do.
  const uow = unitOfWork(db);
  const upsert = db.prepare(`INSERT INTO files (key, content_type, bytes) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes`);
  const select = db.prepare<[string], { content_type: string }>('SELECT content_type FROM files WHERE key = ?');
  const remove = db.prepare('DELETE FROM files WHERE key = ?');
  const pathOf = (key: string) => path.join(root, ...checkFileKey(key).split('/'));
  const serial = keyedQueue();

  return {
    put: async (key, data, contentType) => {
      const target = pathOf(key);
      checkContentType(contentType);
      await serial(key, async () => {
        await writeFileAtomic(target, data, { tmpDir, durable });
        await uow.whenFree(() => upsert.run(key, contentType, data.length));
      });
    },
    get: async (key) => {
      const target = pathOf(key);
      const row = select.get(key);
      if (!row) return null;
      const data = await fs.promises.readFile(target).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null; // deleted since the row was read
        throw err;
      });
      return data ? { data, contentType: row.content_type } : null;
    },
    delete: async (key) => {
      const target = pathOf(key);
      await serial(key, async () => {
        await uow.whenFree(() => remove.run(key));
        await removeFile(target, durable);
      });
    },
  };
}
