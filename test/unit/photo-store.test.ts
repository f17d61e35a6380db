import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Storage } from '../../src/features';
import { FileArgumentError } from '../../src/modules/files/files.types';
import { createPhotoStore, type PhotoStore } from '../../src/modules/files/photo-store';
import { ValidationError } from '../../src/shared/errors';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { tempDir } from '../helpers/storage';

const REPORT = '6650a1b2c3d4e5f601234568';
const photo = (width: number, height: number, format: 'jpeg' | 'png' = 'jpeg') =>
  sharp({ create: { width, height, channels: 3, background: '#88aa33', noise: { type: 'gaussian', mean: 100, sigma: 30 } } })[format]().toBuffer();

describe('photo store (embedded driver)', () => {
  let dir: string;
  let storage: Storage;
  let photos: PhotoStore;
  beforeEach(() => {
    dir = tempDir('nuanxin-photos-');
    storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    photos = createPhotoStore(storage.files, 'hazards');
  });
  afterEach(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const keysOf = (n: number) => Array.from({ length: n }, (_, i) => [`hazards/${REPORT}/${i + 1}.jpg`, `hazards/${REPORT}/${i + 1}.thumb.jpg`]).flat();
  const present = async (keys: string[]) => (await Promise.all(keys.map((k) => storage.files.get(k)))).map(Boolean);

  it('stores each re-encoded photo and its thumbnail under the owner, numbered from 1', async () => {
    const saved = await photos.save(REPORT, [await photo(3000, 2000), await photo(300, 400, 'png')]);
    expect(saved).toEqual([
      { key: `hazards/${REPORT}/1.jpg`, thumbKey: `hazards/${REPORT}/1.thumb.jpg`, contentType: 'image/jpeg', width: 2048, height: 1365, bytes: expect.any(Number) },
      { key: `hazards/${REPORT}/2.jpg`, thumbKey: `hazards/${REPORT}/2.thumb.jpg`, contentType: 'image/jpeg', width: 300, height: 400, bytes: expect.any(Number) },
    ]);
    const full = await storage.files.get(saved[0]?.key as string);
    expect(full?.contentType).toBe('image/jpeg');
    expect(full?.data.length).toBe(saved[0]?.bytes);
    expect(await sharp((await storage.files.get(saved[1]?.thumbKey as string))?.data).metadata()).toMatchObject({ format: 'jpeg', width: 240, height: 320 });
  });

  it('stores nothing when any photo is refused, and names the one', async () => {
    const err = await photos.save(REPORT, [await photo(200, 200), Buffer.from('not a photo at all')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details).toEqual([expect.objectContaining({ field: 'photos.1', index: 1, reason: 'not_image' })]);
    expect(await present(keysOf(2))).toEqual([false, false, false, false]);
  });

  it('refuses a fourth photo before decoding any', async () => {
    const err = await photos.save(REPORT, [Buffer.from('x'), Buffer.from('x'), Buffer.from('x'), Buffer.from('x')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).status).toBe(422);
    expect((err as ValidationError).message).toBe('最多上传 3 张照片');
  });

  it('removes what it wrote when a later write fails, and passes the failure on', async () => {
    // A folder where the second thumbnail's file must go: the rename over it fails, a real write failure.
    fs.mkdirSync(path.join(dir, 'files', 'hazards', REPORT, '2.thumb.jpg', 'x'), { recursive: true });
    await expect(photos.save(REPORT, [await photo(100, 100), await photo(120, 100)])).rejects.toThrow();
    expect(await present(keysOf(2))).toEqual([false, false, false, false]);
    expect(fs.existsSync(path.join(dir, 'files', 'hazards', REPORT, '1.jpg'))).toBe(false);
  });

  it('removes photos with their thumbnails', async () => {
    const saved = await photos.save(REPORT, [await photo(100, 100), await photo(100, 100)]);
    await photos.remove(saved);
    expect(await present(keysOf(2))).toEqual([false, false, false, false]);
  });

  it('stores no photos as none', async () => {
    expect(await photos.save(REPORT, [])).toEqual([]);
  });

  it('refuses an owner id that is no file-key segment (a bug of the caller) before decoding', async () => {
    await expect(photos.save('../../etc', [await photo(10, 10)])).rejects.toBeInstanceOf(FileArgumentError);
  });
});
