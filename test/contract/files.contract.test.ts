import { randomBytes } from 'node:crypto';
import type { Storage } from '../../src/features';
import { FileArgumentError } from '../../src/modules/files/files.types';
import { drivers } from '../helpers/storage';

const KEY = 'hazards/6650a1b2c3d4e5f601234568/1.jpg';
const bytes = (n: number) => randomBytes(n);

describe.each(drivers())('files storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(() => storage.close());

  it('gives back the bytes and content type a put stored, byte for byte', async () => {
    const data = bytes(300_000); // more than one GridFS chunk (255 KiB)
    await storage.files.put(KEY, data, 'image/jpeg');
    const got = await storage.files.get(KEY);
    expect(got?.contentType).toBe('image/jpeg');
    expect(got?.data.equals(data)).toBe(true);
  });

  it('stores an empty file as empty, not as missing', async () => {
    await storage.files.put('empty/0.bin', Buffer.alloc(0), 'application/octet-stream');
    expect(await storage.files.get('empty/0.bin')).toEqual({ data: Buffer.alloc(0), contentType: 'application/octet-stream' });
  });

  it('answers null for a key that was never put', async () => {
    await expect(storage.files.get('hazards/none/1.jpg')).resolves.toBeNull();
  });

  it('replaces the file of a key whole, content type included', async () => {
    await storage.files.put(KEY, bytes(1000), 'image/png');
    const second = bytes(10);
    await storage.files.put(KEY, second, 'image/jpeg');
    expect(await storage.files.get(KEY)).toEqual({ data: second, contentType: 'image/jpeg' });
  });

  it('keeps the last of several puts of one key made at once', async () => {
    const versions = [bytes(5000), bytes(6000), bytes(7000)];
    await Promise.all(versions.map((v) => storage.files.put(KEY, v, 'image/jpeg')));
    expect((await storage.files.get(KEY))?.data.equals(versions[2] as Buffer)).toBe(true);
  });

  it('deletes a file, and deleting it again or a key never put is no error', async () => {
    await storage.files.put(KEY, bytes(100), 'image/jpeg');
    await storage.files.put('hazards/6650a1b2c3d4e5f601234568/1.thumb.jpg', bytes(50), 'image/jpeg');
    await storage.files.delete(KEY);
    await expect(storage.files.get(KEY)).resolves.toBeNull();
    await expect(storage.files.delete(KEY)).resolves.toBeUndefined();
    await expect(storage.files.delete('never/put.jpg')).resolves.toBeUndefined();
    expect(await storage.files.get('hazards/6650a1b2c3d4e5f601234568/1.thumb.jpg')).not.toBeNull();
  });

  it('can put a key again after deleting it', async () => {
    await storage.files.put(KEY, bytes(100), 'image/jpeg');
    await storage.files.delete(KEY);
    const again = bytes(80);
    await storage.files.put(KEY, again, 'image/webp');
    expect(await storage.files.get(KEY)).toEqual({ data: again, contentType: 'image/webp' });
  });

  it('keeps keys that share a prefix apart, a folder beside a file of the same stem included', async () => {
    const keys = ['a/b.txt', 'a/b.txt.bak', 'a/bc.txt', 'a/b/c.txt', 'a/b/c/d.txt'];
    for (const key of keys) await storage.files.put(key, Buffer.from(`file ${key}`), 'text/plain');
    for (const key of keys) expect((await storage.files.get(key))?.data.toString()).toBe(`file ${key}`);
    await storage.files.delete('a/b/c.txt');
    expect((await storage.files.get('a/b/c/d.txt'))?.data.toString()).toBe('file a/b/c/d.txt');
  });

  const BAD_KEYS = [
    '', '/abs/1.jpg', 'trailing/', 'a//b.jpg', '../escape.jpg', 'a/../../b.jpg', 'a/./b.jpg', '.hidden.jpg', 'a/.tmp/x.jpg',
    'a/b..jpg', 'noextension', 'a/b', 'dot.dir/1.jpg', 'ends.', 'Upper/1.jpg', 'a/1.JPG', 'space here.jpg', 'back\\slash.jpg',
    'nul\u0000byte.jpg', '中文/1.jpg', `${'a'.repeat(197)}.jpg`, 'a?b.jpg', 'a:b.jpg', '%2e%2e/x.jpg',
  ];
  it.each(BAD_KEYS)('refuses the key %j on put, get and delete before touching anything', async (key) => {
    await expect(storage.files.put(key, bytes(10), 'image/jpeg')).rejects.toBeInstanceOf(FileArgumentError);
    await expect(storage.files.get(key)).rejects.toBeInstanceOf(FileArgumentError);
    await expect(storage.files.delete(key)).rejects.toBeInstanceOf(FileArgumentError);
  });

  it.each(['', 'jpeg', 'image/', 'IMAGE/JPEG', 'image/jpeg; charset=x', 'image/jpeg\r\nX-Evil: 1'])(
    'refuses the content type %j and stores nothing', async (contentType) => {
      await expect(storage.files.put(KEY, bytes(10), contentType)).rejects.toBeInstanceOf(FileArgumentError);
      await expect(storage.files.get(KEY)).resolves.toBeNull();
    },
  );

  it('accepts the keys photos use', async () => {
    for (const key of ['hazards/6650a1b2c3d4e5f601234568/3.thumb.jpg', 'x_y-z/0.9.webp', `${'a'.repeat(196)}.jpg`]) {
      await storage.files.put(key, Buffer.from(key), 'image/jpeg');
      expect((await storage.files.get(key))?.data.toString()).toBe(key);
    }
  });

  it('writes a file inside a unit of work without waiting for it to end', async () => {
    const data = bytes(64);
    await storage.atomically(async () => {
      await storage.files.put(KEY, data, 'image/jpeg');
      expect((await storage.files.get(KEY))?.data.equals(data)).toBe(true);
    });
    expect((await storage.files.get(KEY))?.data.equals(data)).toBe(true);
  });
});
