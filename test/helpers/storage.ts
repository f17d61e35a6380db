import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** A MongoDB URI pointing at a fresh database, so runs never see each other's data. */
export function freshMongoUri(uri: string): string {
  const u = new URL(uri);
  u.pathname = `/nuanxin_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  return u.toString();
}

/** The embedded driver always; MongoDB too when MONGODB_URI is set (not on our own machines: no server there). */
export function drivers(): DriverCase[] {
  const list: DriverCase[] = [
    { name: 'embedded', open: async () => createEmbeddedStorage({ dataDir: tempDir(), sync: 'normal' }) },
  ];
  const uri = process.env.MONGODB_URI;
  if (uri) {
    list.push({
      name: 'mongo',
      open: () => createMongoStorage({ uri: freshMongoUri(uri) }),
    });
  }
  return list;
}
