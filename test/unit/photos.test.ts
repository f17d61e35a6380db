import zlib from 'node:zlib';
import sharp from 'sharp';
import { ValidationError } from '../../src/shared/errors';
import { PHOTO_MAX_BYTES, processPhoto, sniffPhotoFormat } from '../../src/modules/files/photos';

const noisy = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#4a7bb7', noise: { type: 'gaussian', mean: 120, sigma: 40 } } });
const solid = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } });

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A real, valid one-colour PNG of width x height (1-bit greyscale): tiny on disk however large it decodes. */
function onePixelColourPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth; colour type 0 (greyscale), no interlace
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 and black pixels on every row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(rows, { level: 9 })), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function refusal(p: Promise<unknown>): Promise<ValidationError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return err as ValidationError;
}

describe('processPhoto', () => {
  it('re-encodes a JPEG as JPEG at its own size (never enlarged), with a thumbnail within 320 px', async () => {
    const input = await noisy(800, 600).jpeg({ quality: 95 }).toBuffer();
    const out = await processPhoto(input);
    expect(out).toMatchObject({ contentType: 'image/jpeg', width: 800, height: 600, bytes: out.full.length });
    expect(await sharp(out.full).metadata()).toMatchObject({ format: 'jpeg', width: 800, height: 600 });
    expect(await sharp(out.thumb).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    expect(out.timings).toEqual({ inspectMs: expect.any(Number), fullMs: expect.any(Number), thumbMs: expect.any(Number) });
  });

  it('fits a large photo within 2048 px, keeping its proportions', async () => {
    const out = await processPhoto(await noisy(3000, 2000).jpeg().toBuffer());
    expect([out.width, out.height]).toEqual([2048, 1365]);
    expect(await sharp(out.thumb).metadata()).toMatchObject({ width: 320, height: 213 });
  });

  it('never enlarges a thumbnail of a small photo', async () => {
    const out = await processPhoto(await noisy(200, 100).png().toBuffer());
    expect(await sharp(out.thumb).metadata()).toMatchObject({ width: 200, height: 100 });
  });

  it('applies the EXIF orientation before dropping it: a portrait stays upright', async () => {
    // Stored landscape (200x100) with Orientation 6: shown rotated 90° clockwise, i.e. 100 wide and 200 high.
    const input = await noisy(200, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await sharp(input).metadata()).toMatchObject({ width: 200, height: 100, orientation: 6 });
    const out = await processPhoto(input);
    expect([out.width, out.height]).toEqual([100, 200]);
    const meta = await sharp(out.full).metadata();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([100, 200]);
  });

  it('drops EXIF with the GPS position, the camera and every other metadata block', async () => {
    const input = await noisy(640, 480).jpeg()
      .withExif({
        IFD0: { Make: 'AcmePhone', Model: 'Rider Cam 9', Software: 'firmware-1.2.3' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 33/1 3400/100', GPSLongitudeRef: 'E', GPSLongitude: '106/1 34/1 3900/100' },
      })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Rider Zhang</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>')
      .toBuffer();
    const inMeta = await sharp(input).metadata();
    // The test image really carries them: the GPS IFD pointer (tag 0x8825, little-endian) and the camera's name.
    expect(inMeta.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(inMeta.exif?.includes('Rider Cam 9')).toBe(true);
    expect(inMeta.xmpAsString).toContain('Rider Zhang');

    const out = await processPhoto(input);
    for (const image of [out.full, out.thumb]) {
      const meta = await sharp(image).metadata();
      expect([meta.exif, meta.xmp, meta.iptc, meta.icc, meta.orientation]).toEqual([undefined, undefined, undefined, undefined, undefined]);
      for (const needle of ['Exif', 'Rider Cam 9', 'AcmePhone', 'Rider Zhang', 'xmpmeta']) expect(image.includes(needle)).toBe(false);
    }
  });

  it.each([
    ['PNG', (s: sharp.Sharp) => s.png()],
    ['WebP', (s: sharp.Sharp) => s.webp()],
  ])('takes %s and gives JPEG', async (_name, encode) => {
    const out = await processPhoto(await encode(noisy(300, 200)).toBuffer());
    expect(await sharp(out.full).metadata()).toMatchObject({ format: 'jpeg', width: 300, height: 200 });
  });

  it('puts a transparent PNG on white, not black', async () => {
    const input = await sharp({ create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const { channels } = await sharp((await processPhoto(input)).full).stats();
    for (const c of channels.slice(0, 3)) expect(c.mean).toBeGreaterThan(250);
  });

  it('takes the first frame of an animated WebP', async () => {
    const frames = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map((c) => solid(120, 80, c).png().toBuffer()));
    const input = await sharp(frames, { join: { animated: true } }).webp().toBuffer();
    expect((await sharp(input).metadata()).pages).toBe(3);
    const out = await processPhoto(input);
    expect([out.width, out.height]).toEqual([120, 80]);
    const { channels } = await sharp(out.full).stats();
    expect(channels[0]?.mean).toBeGreaterThan(200); // red
    expect(channels[1]?.mean).toBeLessThan(60);
    expect(channels[2]?.mean).toBeLessThan(60);
  });

  it('refuses a 20000x20000 one-colour PNG from its header, fast and without decoding it', async () => {
    const bomb = onePixelColourPng(20_000, 20_000);
    expect(bomb.length).toBeLessThan(100_000);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({ format: 'png', width: 20_000, height: 20_000 });
    const rss = process.memoryUsage().rss;
    const started = Date.now();
    const err = await refusal(processPhoto(bomb, { index: 2 }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024); // decoded, it would be 400 MB at 1 byte a pixel
    expect(err.status).toBe(422);
    expect(err.message).toBe('第 3 张照片像素过多（20000×20000，上限 64 百万像素），请缩小后再上传');
    expect(err.details).toEqual([expect.objectContaining({ field: 'photos.2', index: 2, reason: 'too_many_pixels', width: 20_000, height: 20_000 })]);
  });

  describe('refuses what is not a whole JPEG, PNG or WebP photo', () => {
    let jpeg: Buffer;
    let png: Buffer;
    beforeAll(async () => {
      jpeg = await noisy(400, 300).jpeg().toBuffer();
      png = await noisy(400, 300).png().toBuffer();
    });
    // Damage that no decoder can read past: markers that do not exist (0xFF 0x01…) written across the body. The
    // image is noise, so a light XOR sometimes still decoded without a warning (a flaky test): this never does.
    const corrupt = (b: Buffer) => {
      const c = Buffer.from(b);
      for (let i = 300; i < c.length - 20; i += 61) {
        c[i] = 0xff;
        c[i + 1] = 0x01;
      }
      return c;
    };
    const cases: Array<[string, () => Buffer, string]> = [
      ['an empty file', () => Buffer.alloc(0), 'empty'],
      ['text named .jpg', () => Buffer.from('这不是图片，只是改了扩展名的文本文件\n'), 'not_image'],
      ['an SVG', () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'not_image'],
      ['a GIF', () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'not_image'],
      ['a JPEG cut in half', () => jpeg.subarray(0, jpeg.length >> 1), 'broken'],
      ['a PNG cut in half', () => png.subarray(0, png.length >> 1), 'broken'],
      ['a PNG with a broken body', () => corrupt(png), 'broken'],
      ['a JPEG with a broken body', () => corrupt(jpeg), 'broken'],
      ['JPEG magic bytes and then noise', () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5000, 7)]), 'broken'],
      ['a WebP header and then noise', () => Buffer.concat([Buffer.from('RIFF\x00\x10\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(4000, 3)]), 'broken'],
      ['a file over 5 MB', () => Buffer.concat([jpeg, Buffer.alloc(PHOTO_MAX_BYTES)]), 'too_large'],
    ];
    it.each(cases)('%s', async (_name, make, reason) => {
      const err = await refusal(processPhoto(make(), { index: 0 }));
      expect(err.status).toBe(422);
      expect(err.message).toMatch(/^第 1 张照片/);
      expect(err.details).toEqual([expect.objectContaining({ field: 'photos.0', index: 0, reason, message: err.message })]);
    });

    it('names no index when the caller gives none', async () => {
      const err = await refusal(processPhoto(Buffer.from('hello')));
      expect(err.message).toBe('照片不是 JPEG、PNG 或 WebP 图片（按文件内容识别，与文件名无关）');
      expect(err.details).toEqual([{ field: 'photo', reason: 'not_image', message: err.message }]);
    });
  });
});

describe('sniffPhotoFormat', () => {
  it.each([
    [[0xff, 0xd8, 0xff, 0xe0], 'jpeg'],
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
    [[...Buffer.from('RIFF\x00\x00\x00\x00WEBP', 'latin1')], 'webp'],
    [[...Buffer.from('RIFF\x00\x00\x00\x00WAVE', 'latin1')], null],
    [[0xff, 0xd8], null],
    [[0x89, 0x50, 0x4e, 0x47], null],
    [[], null],
  ])('reads %j as %s', (bytes, format) => {
    expect(sniffPhotoFormat(Buffer.from(bytes))).toBe(format);
  });
});
