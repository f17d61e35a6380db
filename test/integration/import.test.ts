import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import gcoord from 'gcoord';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/shared/config';
import { createLogger } from '../../src/shared/logger';
import { fixedClock } from '../../src/shared/time';
import { openTestStorage } from '../helpers/storage';
import { MAX_COLUMNS } from '../../src/modules/import/import.types';
import type { Storage } from '../../src/features';

interface ImportApp {
  http: ReturnType<typeof request>;
  storage: Storage;
  auth: { Authorization: string };
}

const opened: Storage[] = [];

/** The real app on a fresh embedded store; Sunday 2026-11-22 12:00 in Chongqing. */
async function buildApp(env: Record<string, string> = {}, city = 'chongqing'): Promise<ImportApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nuanxin-import-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...env });
  const storage = await openTestStorage(dataDir);
  opened.push(storage);
  const app = createApp({ config, storage, clock: fixedClock('2026-11-22T04:00:00Z'), log: createLogger('silent') });
  const http = request(app.callback());
  const login = await http.post('/api/v1/auth/dev').send({ role: 'city_admin', city });
  return { http, storage, auth: { Authorization: `Bearer ${login.body.accessToken}` } };
}

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

const ZH_STATIONS = [
  '外部编号,名称,城市,区县,地址,经度,纬度,营业时间,设施,座位数,运营方,联系电话,状态,备注',
  'CQ-001,解放碑暖新驿站,重庆市,渝中区,民族路188号,106.577,29.557,24小时,"热水，微波炉、手机充电",12,渝中区总工会,023-63700000,开放,旧表列',
  'CQ-002,观音桥暖新驿站,重庆,江北区,观音桥步行街1号,106.531,29.575,"周一至周五 08:00-20:00; 周六,周日 09:00-18:00",卫生间|WiFi,8,,,暂停开放,',
].join('\n');

const EN_MERCHANTS = [
  'ExternalId,Name,City,District,Address,Lng,Lat,Category,Discount_Text,Conditions,Valid From,Valid To,Hours,Phone',
  'CD-M-1,春熙路面馆,chengdu,锦江区,春熙路10号,104.081,30.657,餐饮,骑手8.8折,出示骑手App;限堂食,2026-11-01,2026-12-31,10:00-22:00,13800138000',
  'CD-M-2,太古里便利店,Chengdu,锦江区,中纱帽街8号,104.084,30.654,便利店,满30减5,,,,24h,',
].join('\n');

const STATION_HEADER = 'externalId,name,city,district,address,lng,lat,hours,amenities,capacity';
const stationRow = (id: string, name: string, lng = '106.5', amenities = 'hot_water') =>
  `${id},${name},chongqing,渝中区,某路1号,${lng},29.5,08:00-22:00,${amenities},4`;

const postCsv = (a: ImportApp, kind: string, body: string | Buffer, query = '') =>
  a.http.post(`/api/v1/admin/import/${kind}${query}`).set(a.auth).set('Content-Type', 'text/csv; charset=utf-8').send(body);

async function stationByExternalId(storage: Storage, externalId: string) {
  const all = await storage.stations.list({ limit: 100 });
  return all.find((s) => s.externalId === externalId);
}

describe('POST /api/v1/admin/import/stations', () => {
  it('imports a CSV with Chinese headers, mapping city, hours, amenities and status', async () => {
    const a = await buildApp();
    const res = await postCsv(a, 'stations', `\uFEFF${ZH_STATIONS}`, '?coordSys=wgs84');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      kind: 'stations', dryRun: false, total: 2, accepted: 2, inserted: 2, updated: 0, unchanged: 0,
      rejected: [], ignoredColumns: ['备注'],
    });
    const s = await stationByExternalId(a.storage, 'CQ-002');
    expect(s).toMatchObject({
      name: '观音桥暖新驿站', city: 'chongqing', amenities: ['toilet', 'wifi'], capacity: 8, status: 'temporarily_closed',
      operator: { name: null, phone: null }, location: { lng: 106.531, lat: 29.575 }, isDemo: false,
    });
    expect(s?.hours).toMatchObject({ kind: 'weekly', days: { mon: [{ open: '08:00', close: '20:00' }], sun: [{ open: '09:00', close: '18:00' }] } });
    expect(await stationByExternalId(a.storage, 'CQ-001')).toMatchObject({
      hours: { kind: '24h' }, amenities: ['hot_water', 'microwave', 'phone_charging'], operator: { name: '渝中区总工会', phone: '023-63700000' },
    });
  });

  it('reports every row unchanged when the same file is imported again', async () => {
    const a = await buildApp();
    await postCsv(a, 'stations', ZH_STATIONS).expect(200);
    const again = await postCsv(a, 'stations', ZH_STATIONS);
    expect(again.body.data).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: [] });
    expect(await a.storage.stations.count()).toBe(2);
  });

  it('rejects bad rows with their line numbers and still inserts the good ones', async () => {
    const a = await buildApp();
    const csv = [
      STATION_HEADER,
      stationRow('S-1', '好驿站一'),
      stationRow('S-2', '坏经度', '200'),
      stationRow('S-3', '坏设施', '106.5', '按摩椅'),
      stationRow('S-4', ''),
      stationRow('S-1', '重复编号'),
      stationRow('', '没有编号'),
      // A quoted cell across two lines (names may not hold a line break; a list cell may).
      '"S-5",好驿站二,chongqing,渝中区,某路1号,106.5,29.5,24h,"热水，',
      '微波炉",4',
    ].join('\r\n');
    const res = await postCsv(a, 'stations', csv);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ total: 7, accepted: 2, inserted: 2 });
    const rejected = res.body.data.rejected as Array<{ line: number; externalId: string | null; reason: string }>;
    expect(rejected.map((r) => [r.line, r.externalId])).toEqual([[3, 'S-2'], [4, 'S-3'], [5, 'S-4'], [6, 'S-1'], [7, null]]);
    expect(rejected[0]).toMatchObject({ fields: [{ field: 'lng', message: expect.any(String) }] });
    expect(rejected[1]?.reason).toContain('按摩椅');
    expect(rejected[2]).toMatchObject({ fields: [{ field: 'name', message: expect.any(String) }] });
    expect(rejected[3]?.reason).toBe('外部编号重复：与第 2 行相同（以先出现的为准）');
    expect(rejected[4]?.reason).toContain('缺少外部编号 externalId，无法去重');
    expect(await stationByExternalId(a.storage, 'S-5')).toMatchObject({ name: '好驿站二', amenities: ['hot_water', 'microwave'] });
  });

  it('refuses a file missing a required column, naming it, and writes nothing', async () => {
    const a = await buildApp();
    const csv = 'externalId,name,city,district,address,lng,lat,hours\nS-1,站,chongqing,渝中区,某路,106.5,29.5,24h\n';
    const res = await postCsv(a, 'stations', csv);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unprocessable', details: { missingColumns: ['capacity'] } });
    expect(res.body.error.message).toContain('capacity');
    expect(await a.storage.stations.count()).toBe(0);
  });

  it('refuses a GBK-encoded file with a hint to export CSV UTF-8', async () => {
    const a = await buildApp();
    const body = Buffer.concat([Buffer.from(`${STATION_HEADER}\nS-1,`), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from(',chongqing,渝中区,x,106.5,29.5,24h,,4\n')]);
    const res = await postCsv(a, 'stations', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable');
    expect(res.body.error.message).toMatch(/UTF-8.*GBK/);
    expect(await a.storage.stations.count()).toBe(0);
  });

  it('converts GCJ-02 coordinates (the default) to WGS-84 before storing', async () => {
    const a = await buildApp();
    await postCsv(a, 'stations', `${STATION_HEADER}\n${stationRow('G-1', '火星坐标站', '106.577')}\n`).expect(200);
    const listed = await stationByExternalId(a.storage, 'G-1');
    const stored = await a.storage.stations.get(listed?.id as string);
    const [lng, lat] = gcoord.transform([106.577, 29.5], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    expect(stored?.location.lng).toBeCloseTo(lng, 7);
    expect(stored?.location.lat).toBeCloseTo(lat, 7);
    expect(stored?.location.lng).not.toBeCloseTo(106.577, 4);
  });

  it('validates and reports without writing on dryRun=true', async () => {
    const a = await buildApp();
    const res = await postCsv(a, 'stations', ZH_STATIONS, '?dryRun=true');
    expect(res.body.data).toMatchObject({ dryRun: true, total: 2, accepted: 2, inserted: 0, updated: 0, unchanged: 0 });
    expect(await a.storage.stations.count()).toBe(0);
  });

  it('imports a GeoJSON FeatureCollection and rejects non-Point features by index', async () => {
    const a = await buildApp({}, 'chengdu');
    const props = { 名称: '春熙路暖新驿站', 城市: '成都', 区县: '锦江区', 地址: '春熙路1号', 营业时间: '24h', 设施: ['热水', 'wifi'], 座位数: 6 };
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'CD-1', geometry: { type: 'Point', coordinates: [104.081, 30.657] }, properties: props },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [104.08, 30.65] }, properties: { ...props, 营业时间: undefined, externalId: 'CD-2', hours: { kind: '24h' }, extra: 1 } }, // hours given once, structured
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[104, 30], [104.1, 30.1]] }, properties: { ...props, externalId: 'CD-3' } },
      ],
    };
    const res = await a.http.post('/api/v1/admin/import/stations?coordSys=wgs84').set(a.auth)
      .set('Content-Type', 'application/geo+json').send(JSON.stringify(fc));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ total: 3, inserted: 2, ignoredColumns: ['extra'] });
    expect(res.body.data.rejected).toEqual([{ feature: 2, externalId: 'CD-3', reason: expect.stringContaining('Point') }]);
    expect(await stationByExternalId(a.storage, 'CD-1')).toMatchObject({ city: 'chengdu', amenities: ['hot_water', 'wifi'], location: { lng: 104.081, lat: 30.657 } });
  });

  it('answers 200 with the report when every row is rejected, 422 when there are no rows, 400 when empty', async () => {
    const a = await buildApp();
    const allBad = await postCsv(a, 'stations', `${STATION_HEADER}\n${stationRow('B-1', '坏', 'abc')}\n`);
    expect(allBad.status).toBe(200);
    expect(allBad.body.data).toMatchObject({ total: 1, inserted: 0, rejected: [{ line: 2, externalId: 'B-1' }] });
    const headerOnly = await postCsv(a, 'stations', `${STATION_HEADER}\n`);
    expect(headerOnly.status).toBe(422);
    expect(headerOnly.body.error.message).toContain('没有数据行');
    expect((await postCsv(a, 'stations', '')).status).toBe(400);
  });
});

describe('POST /api/v1/admin/import/merchants', () => {
  it('imports a CSV with English headers, inferring discounts and reading whole-day dates', async () => {
    const a = await buildApp({}, 'chengdu');
    const res = await postCsv(a, 'merchants', EN_MERCHANTS, '?coordSys=wgs84');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ kind: 'merchants', inserted: 2, rejected: [], ignoredColumns: [] });
    const all = await a.storage.merchants.list({ limit: 10 });
    const noodles = all.find((m) => m.externalId === 'CD-M-1');
    expect(noodles).toMatchObject({
      city: 'chengdu', category: '餐饮', phone: '13800138000', status: 'active', isDemo: false,
      discount: { text: '骑手8.8折', kind: 'percent', percentOff: 12, amountOff: null, minSpend: null, conditions: ['出示骑手App', '限堂食'] },
    });
    expect(noodles?.validFrom?.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(noodles?.validTo?.toISOString()).toBe('2026-12-31T15:59:59.999Z');
    expect(all.find((m) => m.externalId === 'CD-M-2')?.discount).toMatchObject({ kind: 'amount', amountOff: 5, minSpend: 30 });
    const again = await postCsv(a, 'merchants', EN_MERCHANTS, '?coordSys=wgs84');
    expect(again.body.data).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  });

  it('rejects an unknown category on its line', async () => {
    const a = await buildApp({}, 'chengdu');
    const csv = EN_MERCHANTS.replace(',便利店,', ',网吧,');
    const res = await postCsv(a, 'merchants', csv);
    expect(res.body.data).toMatchObject({ inserted: 1, rejected: [{ line: 3, externalId: 'CD-M-2', fields: [{ field: 'category' }] }] });
  });
});

describe('import guards', () => {
  it('rejects rows of the other city, line by line, and imports the rest', async () => {
    const a = await buildApp({}, 'chengdu');
    const res = await postCsv(a, 'stations', ZH_STATIONS.replace('CQ-002,观音桥暖新驿站,重庆,江北区,观音桥步行街1号,106.531,29.575', 'CD-002,春熙路暖新驿站,成都,锦江区,春熙路1号,104.081,30.657'));
    expect(res.body.data).toMatchObject({ inserted: 1, rejected: [{ line: 2, externalId: 'CQ-001', fields: [{ field: 'city' }] }] });
    expect(await a.storage.stations.count()).toBe(1);
  });

  it('rejects station rows outside their city with the reason and imports the rest', async () => {
    const a = await buildApp();
    const csv = [
      STATION_HEADER,
      stationRow('A-1', '好驿站'),
      `A-2,春熙路驿站,chongqing,渝中区,某路1号,104.081,30.657,24h,,4`,
      `A-3,零点驿站,chongqing,渝中区,某路1号,0,0,24h,,4`,
      `A-4,北极驿站,chongqing,渝中区,某路1号,106.5,90,24h,,4`,
    ].join('\n');
    const res = await postCsv(a, 'stations', csv);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ total: 4, accepted: 1, inserted: 1 });
    expect(res.body.data.rejected).toEqual([
      { line: 3, externalId: 'A-2', reason: 'location: 位置（104.081, 30.657）不在重庆市服务范围内；该位置属于成都市', fields: [{ field: 'location', message: '位置（104.081, 30.657）不在重庆市服务范围内；该位置属于成都市' }] },
      { line: 4, externalId: 'A-3', reason: 'location: 位置（0, 0）不在重庆市服务范围内', fields: [{ field: 'location', message: '位置（0, 0）不在重庆市服务范围内' }] },
      { line: 5, externalId: 'A-4', reason: 'location: 位置（106.5, 90）不在重庆市服务范围内', fields: [{ field: 'location', message: '位置（106.5, 90）不在重庆市服务范围内' }] },
    ]);
    expect((await a.storage.stations.list({ limit: 10 })).map((x) => x.externalId)).toEqual(['A-1']);
  });

  it('rejects GeoJSON features outside their city by index', async () => {
    const a = await buildApp({}, 'chengdu');
    const props = { name: '驿站', city: 'chengdu', district: '锦江区', address: '春熙路1号', hours: '24h', capacity: 6 };
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'G-1', geometry: { type: 'Point', coordinates: [104.081, 30.657] }, properties: props },
        { type: 'Feature', id: 'G-2', geometry: { type: 'Point', coordinates: [106.577, 29.557] }, properties: props },
      ],
    };
    const res = await a.http.post('/api/v1/admin/import/stations?coordSys=wgs84').set(a.auth)
      .set('Content-Type', 'application/geo+json').send(JSON.stringify(fc));
    expect(res.body.data).toMatchObject({ total: 2, inserted: 1 });
    expect(res.body.data.rejected).toEqual([{
      feature: 1, externalId: 'G-2', reason: expect.stringContaining('位置（106.577, 29.557）不在成都市服务范围内；该位置属于重庆市'),
      fields: [{ field: 'location', message: expect.any(String) }],
    }]);
  });

  it('rejects merchant rows outside their city and imports the rest', async () => {
    const a = await buildApp({}, 'chengdu');
    const csv = EN_MERCHANTS.replace('104.084,30.654', '106.577,29.557');
    const res = await postCsv(a, 'merchants', csv, '?coordSys=wgs84');
    expect(res.body.data).toMatchObject({ inserted: 1, rejected: [{ line: 3, externalId: 'CD-M-2', fields: [{ field: 'location' }] }] });
    expect(res.body.data.rejected[0].reason).toContain('不在成都市服务范围内；该位置属于重庆市');
  });

  it('answers 401 without a login', async () => {
    const a = await buildApp();
    const res = await a.http.post('/api/v1/admin/import/stations').set('Content-Type', 'text/csv').send(ZH_STATIONS);
    expect(res.status).toBe(401);
    expect(await a.storage.stations.count()).toBe(0);
  });

  it('answers 415 for a content type that is neither CSV nor GeoJSON', async () => {
    const a = await buildApp();
    const res = await a.http.post('/api/v1/admin/import/stations').set(a.auth).set('Content-Type', 'text/plain').send(ZH_STATIONS);
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers 413 for a file over IMPORT_LIMIT_BYTES', async () => {
    const a = await buildApp({ IMPORT_LIMIT_BYTES: '2048' });
    const rows = Array.from({ length: 60 }, (_, i) => stationRow(`L-${i}`, `驿站${i}`));
    const res = await postCsv(a, 'stations', [STATION_HEADER, ...rows].join('\n'));
    expect(res.status).toBe(413);
    expect(await a.storage.stations.count()).toBe(0);
  });

  it('refuses an unknown coordSys', async () => {
    const a = await buildApp();
    expect((await postCsv(a, 'stations', ZH_STATIONS, '?coordSys=mars')).status).toBe(400);
  });
});

describe('cells that must not be stored', () => {
  const feature = (id: string, properties: Record<string, unknown>) => ({
    type: 'Feature', id, geometry: { type: 'Point', coordinates: [106.577, 29.557] },
    properties: { 名称: '解放碑暖新驿站', 城市: '重庆', 区县: '渝中区', 地址: '民族路1号', 营业时间: '24h', 座位数: 6, ...properties },
  });
  const postGeoJson = (a: ImportApp, features: unknown[]) => a.http.post('/api/v1/admin/import/stations?coordSys=wgs84').set(a.auth)
    .set('Content-Type', 'application/geo+json').send(JSON.stringify({ type: 'FeatureCollection', features }));

  it('rejects GeoJSON features whose text properties are objects or arrays, naming the property', async () => {
    const a = await buildApp();
    const res = await postGeoJson(a, [
      feature('G-1', { 名称: { a: 1 } }),
      feature('G-2', { 地址: ['x', 'y'] }),
      feature('G-3', { 设施: [{ a: 1 }] }),
      feature('G-4', { 设施: ['热水', 'wifi'], 营业时间: { kind: '24h' } }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ total: 4, inserted: 1 });
    expect(res.body.data.rejected).toEqual([
      { feature: 0, externalId: 'G-1', reason: expect.stringContaining('「名称」必须是文本或数字，不能是对象'), fields: [{ field: 'name', message: expect.any(String) }] },
      { feature: 1, externalId: 'G-2', reason: expect.stringContaining('「地址」必须是文本或数字，不能是数组'), fields: [{ field: 'address', message: expect.any(String) }] },
      { feature: 2, externalId: 'G-3', reason: expect.stringContaining('不能有对象或数组'), fields: [{ field: 'amenities', message: expect.any(String) }] },
    ]);
    const names = (await a.storage.stations.list({ limit: 10 })).map((s) => `${s.name}|${s.address}`);
    expect(names).toEqual(['解放碑暖新驿站|民族路1号']);
  });

  it.each([
    ["=cmd|' /C calc'!A0"], ['@SUM(A1)'], ['+SUM(1+1)'], ['-2+3'], ['\t=1+1'], ['\t正常驿站'], [' =HYPERLINK("http://x")'], ['  -1-1'],
  ])('rejects a CSV text cell starting a formula (%j) and stores nothing of that row', async (cell) => {
    const a = await buildApp();
    const quoted = `"${cell.replace(/"/g, '""')}"`;
    const res = await postCsv(a, 'stations', [STATION_HEADER, stationRow('F-1', quoted), stationRow('F-2', '正常驿站')].join('\n'));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ inserted: 1, rejected: [{ line: 2, externalId: 'F-1', fields: [{ field: 'name' }] }] });
    expect(res.body.data.rejected[0].reason).toContain('公式');
    expect((await a.storage.stations.list({ limit: 10 })).map((s) => s.name)).toEqual(['正常驿站']);
  });

  it.each([['+86 138 0000 0000'], ['+86-13800000000'], ['-'], ['(023) 6370-0000']])('keeps %j, which only starts like a formula', async (cell) => {
    const a = await buildApp();
    const res = await postCsv(a, 'stations', [STATION_HEADER, stationRow('K-1', `"${cell}"`)].join('\n'));
    expect(res.body.data).toMatchObject({ inserted: 1, rejected: [] });
    expect((await stationByExternalId(a.storage, 'K-1'))?.name).toBe(cell);
  });

  it('rejects a GeoJSON feature naming one column twice (外部编号 and externalId), as CSV refuses a repeated column', async () => {
    const a = await buildApp();
    const res = await postGeoJson(a, [feature('T-1', { 外部编号: 'A-1', externalId: 'B-2' }), feature('T-2', { 名称: '第二个驿站' })]);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ inserted: 1 });
    expect(res.body.data.rejected).toEqual([expect.objectContaining({ feature: 0, fields: [{ field: 'externalId', message: '「externalId」与「外部编号」是同一列，只能给一个' }] })]);
  });

  it(`refuses a file with more than ${MAX_COLUMNS} columns or unknown properties, naming the limit`, async () => {
    const a = await buildApp();
    const wide = [`${STATION_HEADER},${Array.from({ length: MAX_COLUMNS }, (_, i) => `x${i}`).join(',')}`, stationRow('W-1', '宽表驿站')].join('\n');
    const csv = await postCsv(a, 'stations', wide);
    expect([csv.status, csv.body.error.message]).toEqual([422, expect.stringContaining(`最多 ${MAX_COLUMNS} 列`)]);
    const props = Object.fromEntries(Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => [`p${i}`, 1]));
    const geo = await postGeoJson(a, [feature('W-2', props)]);
    expect([geo.status, geo.body.error.message]).toEqual([422, expect.stringContaining(`最多 ${MAX_COLUMNS} 个认不出的属性`)]);
    expect(await a.storage.stations.count()).toBe(0);
  });

  it('refuses a formula in a GeoJSON feature id used as the external id', async () => {
    const a = await buildApp();
    const res = await postGeoJson(a, [feature('=1+1', {})]);
    expect(res.body.data).toMatchObject({ inserted: 0, rejected: [{ feature: 0, fields: [{ field: 'externalId' }] }] });
  });

  it('rejects formula text in GeoJSON properties and list items too, but keeps negative and signed numbers', async () => {
    const a = await buildApp();
    const res = await postGeoJson(a, [
      feature('H-1', { 运营方: '=HYPERLINK("http://x")' }),
      feature('H-2', { 设施: ['热水', '@SUM(1)'] }),
      feature('H-3', { 座位数: '+6', 联系电话: '023-63700000' }),
    ]);
    expect(res.body.data).toMatchObject({ inserted: 1, rejected: [{ feature: 0, fields: [{ field: 'operatorName' }] }, { feature: 1, fields: [{ field: 'amenities' }] }] });
    expect(await stationByExternalId(a.storage, 'H-3')).toMatchObject({ capacity: 6 });
  });
});

describe('the audit of an import', () => {
  it('records one entry with the counts for a real import, none for a dry run', async () => {
    const a = await buildApp();
    await postCsv(a, 'stations', ZH_STATIONS, '?dryRun=true');
    expect(await a.storage.audit.list({ action: 'import.stations', limit: 5 })).toEqual([]);
    const res = await postCsv(a, 'stations', ZH_STATIONS);
    expect(res.body.data).toMatchObject({ inserted: 2 });
    const entries = await a.storage.audit.list({ action: 'import.stations', limit: 5 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ objectType: 'station', city: 'chongqing', summary: { total: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0 } });
  });
});
