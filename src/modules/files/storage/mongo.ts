import { mongo, type Connection } from 'mongoose';
import { checkContentType, checkFileKey, type FileStore } from '../files.types';
import { keyedQueue } from './keyed-queue';

const BUCKET = 'files';

type Bucket = InstanceType<typeof mongo.GridFSBucket>;
type FileId = InstanceType<typeof mongo.ObjectId>;

/** The bucket's indexes as the GridFS specification names them, built at start like every other index here. */
async function ensureIndexes(db: mongo.Db): Promise<void> {
  await db.collection(`${BUCKET}.files`).createIndex({ filename: 1, uploadDate: 1 });
  await db.collection(`${BUCKET}.chunks`).createIndex({ files_id: 1, n: 1 }, { unique: true });
}

async function upload(bucket: Bucket, key: string, data: Buffer, contentType: string): Promise<void> {
  const stream = bucket.openUploadStream(key, { metadata: { contentType } });
  await new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    stream.end(data);
  });
}

async function revisions(bucket: Bucket, key: string): Promise<FileId[]> {
  const docs = await bucket.find({ filename: key }, { projection: { _id: 1 } }).toArray();
  return docs.map((d) => d._id);
}

async function deleteRevision(bucket: Bucket, id: FileId): Promise<void> {
  try {
    await bucket.delete(id);
  } catch (err) {
    // Another process removed it first (the driver throws a plain runtime error for a missing file).
    if (!/not found/i.test((err as Error).message)) throw err;
  }
}

async function download(bucket: Bucket, id: FileId): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of bucket.openDownloadStream(id)) parts.push(chunk as Buffer);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null; // deleted since it was found
    throw err;
  }
  return Buffer.concat(parts);
}

/**
 * Files in GridFS, bucket 'files' (collections files.files and files.chunks); the content type is the file
 * document's metadata.contentType. GridFS writes the files document after the last chunk, so a reader never sees
 * part of an upload. A put uploads a new revision of the key and then deletes the revisions that were there
 * before it began, so two processes putting one key at once lose neither (the newest is read; the next put tidies
 * up). GridFS goes through the driver without mongoose's session, so calls are outside storage.atomically's
 * transaction. Never executed here (no MongoDB server on our machines).
 */
export async function createMongoFileStore(conn: Connection): Promise<FileStore> {
  const db = conn.db;
  if (!db) throw new Error('mongo connection is not open');
  await ensureIndexes(db);
  const bucket = new mongo.GridFSBucket(db, { bucketName: BUCKET });
  const serial = keyedQueue();

  return {
    put: async (key, data, contentType) => {
      checkFileKey(key);
      checkContentType(contentType);
      await serial(key, async () => {
        const older = await revisions(bucket, key);
        await upload(bucket, key, data, contentType);
        for (const id of older) await deleteRevision(bucket, id);
      });
    },
    get: async (key) => {
      checkFileKey(key);
      const [newest] = await bucket.find({ filename: key }).sort({ uploadDate: -1, _id: -1 }).limit(1).toArray();
      if (!newest) return null;
      const data = await download(bucket, newest._id);
      const contentType = newest.metadata?.contentType;
      return data ? { data, contentType: typeof contentType === 'string' ? contentType : 'application/octet-stream' } : null;
    },
    delete: async (key) => {
      checkFileKey(key);
      await serial(key, async () => {
        for (const id of await revisions(bucket, key)) await deleteRevision(bucket, id);
      });
    },
  };
}
