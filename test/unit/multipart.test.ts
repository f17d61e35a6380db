import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import request from 'supertest';
import { errorHandler } from '../../src/shared/http';
import { PHOTO_MAX_BYTES } from '../../src/modules/files/photos';
import { readMultipart, type MultipartOptions } from '../../src/shared/multipart';

const OPTS: MultipartOptions = {
  fields: ['category', 'description', 'lng', 'lat'], fileFields: ['photos'], maxFiles: 3, maxFileBytes: 10_000, maxFieldBytes: 200,
};

/** A bare app whose one route reads multipart and echoes what it read (files as sizes and their first bytes). */
function appWith(opts: MultipartOptions = OPTS): Koa {
  const app = new Koa();
  app.use(errorHandler());
  app.use(async (ctx) => {
    const body = await readMultipart(ctx, opts);
    ctx.body = { fields: body.fields, files: body.files.map((f) => ({ field: f.field, filename: f.filename, bytes: f.data.length, head: f.data.subarray(0, 8).toString('hex') })) };
  });
  return app;
}
const post = (app = appWith()) => request(app.callback()).post('/');
const bytes = (n: number, fill = 0xab) => Buffer.alloc(n, fill);

/** A multipart body by hand: each part its header lines and content. */
function raw(parts: Array<[headers: string, content: string]>, boundary = 'XyZ'): string {
  return parts.map(([h, c]) => `--${boundary}\r\n${h}\r\n\r\n${c}\r\n`).join('') + `--${boundary}--\r\n`;
}

describe('readMultipart', () => {
  it('reads text fields and repeated file fields in order, byte for byte', async () => {
    const res = await post()
      .field('category', 'manhole_cover').field('description', '井盖缺失，夜里很危险').field('lng', '106.5775')
      .attach('photos', bytes(9_999, 1), '第一张.jpg').attach('photos', bytes(10, 2), 'b.png').attach('photos', bytes(1, 3), 'c.webp');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      fields: { category: 'manhole_cover', description: '井盖缺失，夜里很危险', lng: '106.5775' },
      files: [
        { field: 'photos', filename: '第一张.jpg', bytes: 9_999, head: '0101010101010101' },
        { field: 'photos', filename: 'b.png', bytes: 10, head: '02020202020202020202'.slice(0, 16) },
        { field: 'photos', filename: 'c.webp', bytes: 1, head: '03' },
      ],
    });
  });

  it('reads a body of fields alone', async () => {
    const res = await post().field('category', 'other');
    expect(res.body).toEqual({ fields: { category: 'other' }, files: [] });
  });

  it('skips an empty file input (no file chosen), but keeps a named empty file', async () => {
    const body = raw([
      ['Content-Disposition: form-data; name="photos"; filename=""\r\nContent-Type: application/octet-stream', ''],
      ['Content-Disposition: form-data; name="photos"; filename="empty.jpg"\r\nContent-Type: image/jpeg', ''],
    ]);
    const res = await post().set('Content-Type', 'multipart/form-data; boundary=XyZ').send(body);
    expect(res.status).toBe(200);
    expect(res.body.files).toEqual([{ field: 'photos', filename: 'empty.jpg', bytes: 0, head: '' }]);
  });

  type Case = [name: string, build: (r: request.Test) => request.Test, status: number, message: string | RegExp];
  const cases: Case[] = [
    ['a fourth file', (r) => r.attach('photos', bytes(10), '1.jpg').attach('photos', bytes(10), '2.jpg').attach('photos', bytes(10), '3.jpg').attach('photos', bytes(10), '4.jpg'), 422, '最多上传 3 个文件'],
    ['a file over the size limit', (r) => r.field('category', 'other').attach('photos', bytes(10_001), '大图.jpg'), 413, '文件「大图.jpg」超过 9.8 KB 上限'],
    ['an unknown text field', (r) => r.field('category', 'other').field('isAdmin', 'true'), 422, '未知字段：isAdmin'],
    ['an unknown file field', (r) => r.attach('avatar', bytes(10), 'a.jpg'), 422, '未知字段：avatar'],
    ['a text field sent as a file', (r) => r.attach('description', bytes(10), 'd.txt'), 422, '字段 description 应为文本，不是文件'],
    ['a file field sent as text', (r) => r.field('photos', 'http://example.com/x.jpg'), 422, '字段 photos 应为文件'],
    ['a text field twice', (r) => r.field('lng', '106.1').field('lng', '106.2'), 422, '字段 lng 只能出现一次'],
    ['a text field over its size', (r) => r.field('description', '长'.repeat(100)), 413, '字段 description 超过 200 字节'],
    ['JSON instead of multipart', (r) => r.send({ category: 'other' }), 415, '不支持的 Content-Type，应为 multipart/form-data'],
    ['multipart without a boundary', (r) => r.set('Content-Type', 'multipart/form-data').send('--x\r\n'), 400, /缺少 boundary/],
    ['a body cut off before its closing boundary', (r) => r.set('Content-Type', 'multipart/form-data; boundary=XyZ')
      .send('--XyZ\r\nContent-Disposition: form-data; name="category"\r\n\r\nother\r\n--XyZ\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\n\r\n\xff\xd8\xff'), 400, 'multipart 请求体不完整或格式有误'],
    ['an empty body', (r) => r.set('Content-Type', 'multipart/form-data; boundary=XyZ').send(''), 400, 'multipart 请求体不完整或格式有误'],
    ['garbage under a multipart type', (r) => r.set('Content-Type', 'multipart/form-data; boundary=x').send('{"category":"other"}'), 400, 'multipart 请求体不完整或格式有误'],
    ['a Content-Length over everything allowed together', (r) => r.set('Content-Type', 'multipart/form-data; boundary=XyZ').send('x'.repeat(3 * 10_000 + 4 * 200 + 64 * 1024 + 1)), 413, /请求体过大/],
  ];
  it.each(cases)('refuses %s', async (_name, build, status, message) => {
    const res = await build(post());
    expect(res.status).toBe(status);
    expect(res.body.error).toEqual({ status, code: expect.any(String), message: expect.any(String), details: expect.anything() });
    expect(res.body.error.message).toMatch(message);
  });

  it('names the field and limit in the details', async () => {
    const res = await post().attach('photos', bytes(10_001), 'x.jpg');
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', details: [{ field: 'photos', filename: 'x.jpg', limitBytes: 10_000 }] });
  });

  it('answers 413 for a 6 MB photo under the 5 MB limit, the client sending it whole', async () => {
    const res = await post(appWith({ ...OPTS, maxFileBytes: PHOTO_MAX_BYTES })).field('category', 'other').attach('photos', bytes(6 * 1024 * 1024), 'IMG_0001.JPG');
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe('文件「IMG_0001.JPG」超过 5 MB 上限');
  });

  it('refuses a field that is not UTF-8 instead of storing replacement characters', async () => {
    const body = Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="description"\r\n\r\n'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), // 你好 in GBK
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    const res = await post().set('Content-Type', 'multipart/form-data; boundary=XyZ').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('字段 description 不是合法的 UTF-8 文本');
  });

  it('stops reading a chunked body as soon as it outgrows every limit together, and answers 413', async () => {
    const server = http.createServer(appWith().callback()).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ', 'Transfer-Encoding': 'chunked' } });
        let sent = 0;
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body, sent });
            req.destroy();
          });
        });
        req.on('error', (err) => (answered ? undefined : reject(err)));
        const chunk = Buffer.alloc(16 * 1024, 0x61);
        const pump = () => {
          // Bounded: at most 10 MB, far past the 95 KB that everything allowed adds up to.
          while (!answered && sent < 10 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
        };
        req.write('--XyZ\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\n\r\n');
        pump();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
      expect(answer.sent).toBeLessThan(10 * 1024 * 1024); // answered before the client finished sending
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
