import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { createMongoStorage } from '../../src/storage/mongo';
import type { Storage } from '../../src/features';

export interface DriverCase {
  name: 'embedded' | 'mongo';
  open(): Promise<Storage>;
}

export function tempDir(prefix = 'nuanxin-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A MongoDB URI pointing at a fresh database, so runs never see each other's data (query string kept). */
export function freshMongoUri(uri: string): string {
  const u = new URL(uri);
  u.pathname = `/nuanxin_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  return u.toString();
}

// What the driver cases of this test file made; each jest test file has its own copy of this module.
const made = { dirs: [] as string[], mongoUris: [] as string[] };
let cleanupRegistered = false;

/** Removes the temp dirs and drops the fresh databases; storages must be closed by then (afterEach does). */
async function cleanUp(): Promise<void> {
  for (const dir of made.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  for (const uri of made.mongoUris.splice(0)) await dropDatabase(uri);
}

/** Drops a test database. Never executed here (no MongoDB server on our machines): written for CI's replica set. */
async function dropDatabase(uri: string): Promise<void> {
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    await conn.dropDatabase();
  } finally {
    await conn.close();
  }
}

/**
 * The embedded driver always; MongoDB too when MONGODB_URI is set (not on our own machines: no server there).
 * Call it at the top level of a test file (describe.each does): it registers an afterAll that cleans up.
 */
export function drivers(): DriverCase[] {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(cleanUp);
  }
  const list: DriverCase[] = [
    {
      name: 'embedded',
      open: async () => {
        const dir = tempDir();
        made.dirs.push(dir);
        return createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
      },
    },
  ];
  const uri = process.env.MONGODB_URI;
  if (uri) {
    list.push({
      name: 'mongo',
      open: () => {
        const fresh = freshMongoUri(uri);
        made.mongoUris.push(fresh);
        return createMongoStorage({ uri: fresh });
      },
    });
  }
  return list;
}

/**
 * The store the HTTP integration suite runs on: MongoDB when MONGODB_URI is set, the embedded driver in dataDir
 * otherwise; the suite is the same on both. Closing it also removes what it made (the dir, the fresh database),
 * so it can be opened anywhere, hooks and tests included.
 */
export async function openTestStorage(dataDir: string): Promise<Storage> {
  const uri = process.env.MONGODB_URI;
  const fresh = uri ? freshMongoUri(uri) : null;
  const storage = fresh ? await createMongoStorage({ uri: fresh }) : createEmbeddedStorage({ dataDir, sync: 'normal' });
  const close = storage.close.bind(storage);
  return Object.assign(storage, {
    async close() {
      await close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (fresh) await dropDatabase(fresh);
    },
  });
}
