import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../src/modules/files/storage/atomic-file';

/**
 * The outbox events the bot has sent, kept across restarts: an event claimed again (the lease ran out between the
 * send and the ack, or the bot died there) is acknowledged without being sent twice.
 */
export interface SentNotices {
  has(eventId: string): boolean;
  /** Records a sent event and resolves once the record is on disk. */
  add(eventId: string): Promise<void>;
  readonly size: number;
}

export interface SentNoticesOptions {
  /** The file (BOT_DATA_DIR/sent-<consumer>.json); its directory is created when missing. */
  file: string;
  /** At most this many ids are kept, the oldest dropped first. */
  max?: number;
  /** Ids older than this are dropped: the outbox purges acknowledged events after 30 days. */
  maxAgeMs?: number;
  clock?: () => Date;
}

const DAY_MS = 24 * 3600 * 1000;

interface FileShape {
  version: 1;
  /** [event id, when sent (epoch ms)], oldest first. */
  sent: Array<[string, number]>;
}

async function read(file: string): Promise<Array<[string, number]>> {
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = JSON.parse(raw) as Partial<FileShape>;
  // Writes are atomic, so anything else is not ours: stop rather than send every notice again.
  if (parsed.version !== 1 || !Array.isArray(parsed.sent)) throw new Error(`${file}: not a sent-notices file`);
  return parsed.sent.filter((e): e is [string, number] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number');
}

/** Loads the sent ids from `file` (none when it does not exist yet); every add rewrites it atomically (temp, fsync, rename). */
export async function openSentNotices(options: SentNoticesOptions): Promise<SentNotices> {
  const { file, max = 10_000, maxAgeMs = 30 * DAY_MS, clock = () => new Date() } = options;
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  // A Map keeps insertion order: the first key is the oldest.
  const sent = new Map(await read(file));
  let writes: Promise<void> = Promise.resolve();

  const prune = () => {
    const oldest = clock().getTime() - maxAgeMs;
    for (const [id, at] of sent) {
      if (sent.size <= max && at >= oldest) break;
      sent.delete(id);
    }
  };
  const save = async () => {
    const body: FileShape = { version: 1, sent: [...sent] };
    await writeFileAtomic(file, Buffer.from(JSON.stringify(body)), { tmpDir: dir, durable: true });
  };
  prune();

  return {
    has: (id) => sent.has(id),
    add(id) {
      sent.delete(id);
      sent.set(id, clock().getTime());
      prune();
      // One write at a time, each with everything added so far: the last one to land is the newest.
      writes = writes.catch(() => undefined).then(save);
      return writes;
    },
    get size() {
      return sent.size;
    },
  };
}
