/**
 * 随手拍 with photos over multipart on the real app: the report with a photo is routed to the responsible body
 * with the reason, the stored photo has no EXIF or GPS, and a bad photo stores nothing, no file left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
let rider: { Authorization: string };

/** A JPEG with EXIF GPS, as a phone writes it. */
const gpsJpeg = () => sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 40, g: 90, b: 160 } } })
  .jpeg().withExif({ IFD0: { Make: 'RiderPhone', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 33/1 34/1', GPSLongitudeRef: 'E', GPSLongitude: '106/1 34/1 39/1' } }).toBuffer();

const filesUnder = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.jpg$/.test(f)) : []);

beforeAll(async () => {
  t = await buildTestApp();
  rider = (await t.login('rider')).headers;
  // A body for 城管 matters in 渝中区, so the report is routed to it.
  const body = await t.http.post('/api/v1/hazard-bodies').set(t.admin).send({
    name: '渝中区城管局', type: '城管', districts: ['渝中区'], categories: [], contact: { channel: 'phone', value: '023-63851234' },
  });
  expect(body.status).toBe(201);
});
afterAll(() => t.close());

describe('hazard reports with photos', () => {
  it('routes a report with a photo to the responsible body, and strips the photo of its metadata', async () => {
    const photo = await gpsJpeg();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const res = await t.http.post('/api/v1/hazards').set(rider)
      .field('category', 'manhole').field('description', '井盖破裂').field('lng', '106.5775').field('lat', '29.5594').field('coordSys', 'wgs84')
      .attach('photos', photo, { filename: 'IMG_0001.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(201);
    expect(res.body.data.route).toEqual(expect.objectContaining({ kind: 'body', bodyName: '渝中区城管局', why: expect.stringContaining('渝中区城管局') }));
    expect(res.body.data.photos).toHaveLength(1);
    const full = await t.http.get(res.body.data.photos[0].url).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(full.body as Buffer).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width).toBe(1200);
    const thumb = await t.http.get(res.body.data.photos[0].thumbUrl);
    expect(thumb.status).toBe(200);
  });

  it('refuses a photo that is not an image, stores no report and leaves no file', async () => {
    const dir = path.join(t.config.storage.dataDir, 'files');
    const before = filesUnder(dir).length;
    const res = await t.http.post('/api/v1/hazards').set(rider)
      .field('category', 'pothole').field('description', '路面坑洼').field('lng', '106.5775').field('lat', '29.5594').field('coordSys', 'wgs84')
      .attach('photos', await gpsJpeg(), { filename: 'ok.jpg', contentType: 'image/jpeg' })
      .attach('photos', Buffer.from('this is text, not a JPEG'), { filename: 'fake.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error)).toMatch(/photos/);
    const mine = await t.http.get('/api/v1/me/hazards').set(rider);
    expect(mine.body.data.filter((r: { category: string }) => r.category === 'pothole')).toEqual([]);
    if (t.storage.driver === 'embedded') expect(filesUnder(dir).length).toBe(before);
  });

  it('refuses a fourth photo', async () => {
    const photo = await gpsJpeg();
    let req = t.http.post('/api/v1/hazards').set(rider).field('category', 'pothole').field('description', '坑').field('lng', '106.5775').field('lat', '29.5594').field('coordSys', 'wgs84');
    for (let i = 0; i < 4; i++) req = req.attach('photos', photo, { filename: `${i}.jpg`, contentType: 'image/jpeg' });
    const res = await req;
    expect([413, 422]).toContain(res.status);
    expect(res.body.error.message).toMatch(/3/);
  });
});

describe('responsible bodies and their reports', () => {
  it('refuses to delete a body while open reports are routed to it (found by probing)', async () => {
    const body = await t.http.post('/api/v1/hazard-bodies').set(t.admin).send({
      name: '渝中区水务局', type: '水务', districts: ['渝中区'], categories: [], contact: { channel: 'phone', value: '023-63851235' },
    });
    const res = await t.http.post('/api/v1/hazards').set(rider).send({ category: 'flooding', description: '下穿道积水', lng: 106.5775, lat: 29.5594, coordSys: 'wgs84' });
    expect(res.body.data.route.bodyName).toBe('渝中区水务局');
    const refused = await t.http.delete(`/api/v1/hazard-bodies/${body.body.data.id as string}`).set(t.admin);
    expect(refused.status).toBe(409);
    await t.http.post(`/api/v1/hazards/${res.body.data.id as string}/status`).set(t.admin).send({ status: 'rejected', note: '已处理' });
    expect((await t.http.delete(`/api/v1/hazard-bodies/${body.body.data.id as string}`).set(t.admin)).status).toBe(204);
  });
});
