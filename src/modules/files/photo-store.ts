import { ValidationError } from '../../shared/errors';
import { checkFileKey, type FileStore } from './files.types';
import { processPhoto, type ProcessedPhoto } from './photos';

export const MAX_PHOTOS = 3;

/** A stored photo as a record keeps it (the hazards feature's HazardPhoto has this shape). */
export interface StoredPhoto {
  key: string;
  thumbKey: string;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  bytes: number;
}

export interface PhotoStore {
  /**
   * Re-encodes every photo first (the first bad one is a 422 naming it, and nothing is written), then stores each
   * and its thumbnail as '<prefix>/<ownerId>/<n>.jpg' and '<n>.thumb.jpg' (n from 1). If a write fails, what was
   * written is deleted again before the error is passed on.
   */
  save(ownerId: string, photos: readonly Buffer[]): Promise<StoredPhoto[]>;
  /** Deletes the photos and their thumbnails (every one is tried; the first failure is thrown after). */
  remove(photos: ReadonlyArray<Pick<StoredPhoto, 'key' | 'thumbKey'>>): Promise<void>;
}

/** Photos of one kind of owner (a hazard report) in the file store, under prefix ('hazards'). */
export function createPhotoStore(files: FileStore, prefix: string, maxPhotos = MAX_PHOTOS): PhotoStore {
  const keysOf = (ownerId: string, n: number) => ({
    key: checkFileKey(`${prefix}/${ownerId}/${n}.jpg`), thumbKey: checkFileKey(`${prefix}/${ownerId}/${n}.thumb.jpg`),
  });

  async function removeAll(keys: readonly string[]): Promise<void> {
    const results = await Promise.allSettled(keys.map((k) => files.delete(k)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async function write(ownerId: string, processed: readonly ProcessedPhoto[]): Promise<StoredPhoto[]> {
    // Every write settles before any clean-up, so none lands after the clean-up has run.
    const results = await Promise.allSettled(processed.map(async (p, i): Promise<StoredPhoto> => {
      const { key, thumbKey } = keysOf(ownerId, i + 1);
      await files.put(key, p.full, p.contentType);
      await files.put(thumbKey, p.thumb, p.contentType);
      return { key, thumbKey, contentType: p.contentType, width: p.width, height: p.height, bytes: p.bytes };
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!failed) return results.map((r) => (r as PromiseFulfilledResult<StoredPhoto>).value);
    await removeAll(processed.flatMap((_, i) => Object.values(keysOf(ownerId, i + 1)))).catch(() => undefined);
    throw failed.reason;
  }

  return {
    async save(ownerId, photos) {
      if (photos.length > maxPhotos) {
        throw new ValidationError(`最多上传 ${maxPhotos} 张照片`, [{ field: 'photos', message: `最多 ${maxPhotos} 张`, maxPhotos }], 422);
      }
      keysOf(ownerId, 1); // a bad owner id is the caller's bug: refused before any photo is decoded
      const processed: ProcessedPhoto[] = [];
      for (const [index, data] of photos.entries()) processed.push(await processPhoto(data, { index }));
      return write(ownerId, processed);
    },
    remove: (photos) => removeAll(photos.flatMap((p) => [p.key, p.thumbKey])),
  };
}
