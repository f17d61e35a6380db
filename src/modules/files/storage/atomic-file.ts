import { randomBytes } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** A directory on the same file system as the target, for the temp file (rename is atomic only within one). */
  tmpDir: string;
  /** fsync the file before the rename and the directories after it, so the write survives a power loss too. */
  durable: boolean;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The directories whose entries a write changed: the parent of the first one created, down to the file's own. */
function changedDirs(fileDir: string, firstCreated: string | undefined): string[] {
  if (!firstCreated) return [fileDir];
  const dirs = [fileDir];
  for (let d = fileDir; d !== firstCreated && d !== path.dirname(d); d = path.dirname(d)) dirs.push(path.dirname(d));
  dirs.push(path.dirname(firstCreated));
  return [...new Set(dirs)];
}

/**
 * Writes data to target so that a crash at any moment leaves the old file or the new one under target's name,
 * never a part of one: the bytes go to a temp file first, which is fsynced, renamed over target (atomic on POSIX),
 * and then target's directory is fsynced so the rename itself is on disk (with durable off, only the rename).
 */
export async function writeFileAtomic(target: string, data: Buffer, opts: AtomicWriteOptions): Promise<void> {
  const dir = path.dirname(target);
  const firstCreated = await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(opts.tmpDir, `${randomBytes(12).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(data);
      if (opts.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  if (opts.durable) for (const d of changedDirs(dir, firstCreated)) await fsyncDir(d);
}

/** Removes a file and makes the removal durable; a missing file is no error. */
export async function removeFile(target: string, durable: boolean): Promise<void> {
  try {
    await fs.unlink(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (durable) await fsyncDir(path.dirname(target));
}

/** Deletes temp files older than maxAgeMs: left by a crash mid-write (younger ones may be another process's write). */
export function sweepTempFiles(tmpDir: string, maxAgeMs: number, now = Date.now()): number {
  let removed = 0;
  for (const name of fsSync.readdirSync(tmpDir)) {
    if (!name.endsWith('.tmp')) continue;
    const file = path.join(tmpDir, name);
    const stat = fsSync.statSync(file, { throwIfNoEntry: false });
    if (stat && now - stat.mtimeMs > maxAgeMs) {
      fsSync.rmSync(file, { force: true });
      removed++;
    }
  }
  return removed;
}
