// A child process for test/unit/files-embedded.test.ts: opens the embedded store in argv[2] (EMBEDDED_SYNC full)
// and puts self-checking files (sha-256 of the rest, then the rest) over a few keys at once until it is killed, printing
// "start" as each put begins and "<key> <sha-256 hex>" once it is acknowledged.
import { createHash, randomBytes } from 'node:crypto';
import { createEmbeddedStorage } from '../../src/storage/embedded';

export const CRASH_KEYS = Array.from({ length: 6 }, (_, i) => `crash/${i}.bin`);

/** A payload whose first 32 bytes are the sha-256 of the rest, so a torn file is told from a whole one. */
export function selfChecking(size: number): Buffer {
  const body = randomBytes(size);
  return Buffer.concat([createHash('sha256').update(body).digest(), body]);
}

/** Whether a file is whole: its first 32 bytes are the sha-256 of the rest. */
export function isWhole(data: Buffer): boolean {
  return data.length >= 32 && createHash('sha256').update(data.subarray(32)).digest().equals(data.subarray(0, 32));
}

/** Puts one key over and over. */
async function loop(storage: ReturnType<typeof createEmbeddedStorage>, key: string, seed: number): Promise<never> {
  for (let i = seed; ; i++) {
    const data = selfChecking(500_000 + ((i * 7919) % 500_000));
    process.stdout.write('start\n');
    await storage.files.put(key, data, 'application/octet-stream');
    process.stdout.write(`${key} ${createHash('sha256').update(data).digest('hex')}\n`);
  }
}

/** Every key at once, so that whenever the kill lands some write is under way. */
async function main(dataDir: string): Promise<void> {
  const storage = createEmbeddedStorage({ dataDir, sync: 'full' });
  await Promise.all(CRASH_KEYS.map((key, i) => loop(storage, key, i * 1000)));
}

if (require.main === module) void main(process.argv[2] as string);
