import fs from 'node:fs';
import type { Storage } from '../../src/features';
import type { BodyInput } from '../../src/modules/bodies/bodies.types';
import { canonicalDistrict, districtNames, districtOf } from '../../src/modules/bodies/districts';
import { createRouter, type RouteInput } from '../../src/modules/bodies/routing';
import { generateDemoBodies } from '../../src/modules/bodies/demo-bodies';
import { checkCategories, checkDistricts } from '../../src/modules/bodies/bodies.service';
import { rulesSchema } from '../../src/modules/compounds/compounds.schema';
import type { CompoundInput } from '../../src/modules/compounds/compounds.types';
import { GAZETTEER } from '../../src/modules/places/gazetteer';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { tempDir } from '../helpers/storage';

const NOW = new Date('2026-11-25T04:00:00Z');
const JIEFANGBEI = { lng: 106.5775, lat: 29.5594 }; // WGS-84, in 渝中区
const M_PER_DEG_LAT = 111_195;
const north = (p: { lng: number; lat: number }, m: number) => ({ lng: p.lng, lat: p.lat + m / M_PER_DEG_LAT });
const at = (name: string) => GAZETTEER.find((p) => p.name === name)!.location;

let dir: string;
let storage: Storage;
let seq = 0;

beforeEach(() => {
  dir = tempDir('nuanxin-routing-');
  storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
});
afterEach(async () => {
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const addBody = (over: Partial<BodyInput>) => storage.bodies.create({
  city: 'chongqing', districts: [], name: `单位${++seq}`, type: '城管', categories: [], contact: { channel: 'staff', value: '本系统' },
  active: true, isDemo: false, ...over,
}, NOW);
const addCompound = (over: Partial<CompoundInput> = {}) => storage.compounds.create({
  externalId: null, name: '幸福里', city: 'chongqing', district: '渝中区', address: '民族路1号', location: JIEFANGBEI, propertyCompany: '某物业',
  gates: [{ id: 'east', name: '东门', location: null }], policy: { mode: 'manual', rules: rulesSchema.parse({}) }, notes: null, isDemo: false, ...over,
}, NOW);
const report = (over: Partial<RouteInput> = {}): RouteInput => ({ city: 'chongqing', district: '渝中区', category: 'manhole', location: JIEFANGBEI, ...over });
const route = (over: Partial<RouteInput> = {}, nearCompoundM = 100) => createRouter({ storage, nearCompoundM }).route(report(over));

describe('routing a 物业 matter', () => {
  it('goes to a compound within the distance, naming it and how far', async () => {
    const c = await addCompound();
    await addBody({ type: '物业', name: '重庆市物业监管处' });
    const d = await route({ category: 'ebike_charging', location: north(JIEFANGBEI, 60) });
    expect(d).toEqual({
      bodyId: null, bodyName: '幸福里物业', kind: 'compound', compoundId: c.id,
      why: '「电动车违规充电」属物业职责，位置距小区 幸福里 60 米（100 米以内），由该小区物业负责',
    });
  });

  it('goes to the nearest of two compounds', async () => {
    await addCompound({ name: '远一点的小区', location: north(JIEFANGBEI, 90) });
    const near = await addCompound({ name: '近的小区', location: north(JIEFANGBEI, 20) });
    expect(await route({ category: 'falling_object' })).toMatchObject({ kind: 'compound', compoundId: near.id });
  });

  it('passes a compound farther than the distance to the 物业 body of the city', async () => {
    await addCompound({ location: north(JIEFANGBEI, 150) });
    const office = await addBody({ type: '物业', name: '重庆市物业监管处' });
    expect(await route({ category: 'ebike_charging' })).toMatchObject({ kind: 'body', bodyId: office.id, compoundId: null });
    expect(await route({ category: 'ebike_charging' }, 200)).toMatchObject({ kind: 'compound' });
  });

  it('is unrouted without a compound near or a 物业 body, and says both', async () => {
    await addCompound({ location: north(JIEFANGBEI, 150) });
    expect(await route({ category: 'ebike_charging' })).toEqual({
      bodyId: null, bodyName: null, kind: 'unrouted', compoundId: null,
      why: '「电动车违规充电」属物业职责，100 米以内没有登记的小区，重庆渝中区也没有负责此类的责任单位，由市级管理员分派',
    });
  });

  it('never goes to a compound when the distance is 0', async () => {
    await addCompound();
    expect(await route({ category: 'ebike_charging' }, 0)).toMatchObject({ kind: 'unrouted' });
  });

  it('ignores compounds for a matter that is not 物业', async () => {
    await addCompound();
    const cg = await addBody({ name: '渝中区城管局', districts: ['渝中区'] });
    expect(await route({ category: 'manhole' })).toMatchObject({ kind: 'body', bodyId: cg.id, compoundId: null });
  });
});

describe('routing to a responsible body', () => {
  it('says which rule: the district\'s body', async () => {
    const b = await addBody({ name: '渝中区城管局', districts: ['渝中区'] });
    expect(await route()).toEqual({
      bodyId: b.id, bodyName: '渝中区城管局', kind: 'body', compoundId: null, why: '「井盖缺失或破损」属城管职责，渝中区由 渝中区城管局 负责',
    });
  });

  it('prefers the district\'s body over an older city-wide one', async () => {
    await addBody({ name: '重庆市城市管理局' });
    const district = await addBody({ name: '渝中区城管局', districts: ['渝中区', '江北区'] });
    expect(await route()).toMatchObject({ bodyId: district.id });
  });

  it('falls back to the city-wide body when the district has none, and says so', async () => {
    await addBody({ name: '江北区城管局', districts: ['江北区'] });
    const city = await addBody({ name: '重庆市城市管理局' });
    expect(await route()).toEqual({
      bodyId: city.id, bodyName: '重庆市城市管理局', kind: 'body', compoundId: null,
      why: '「井盖缺失或破损」属城管职责，渝中区未登记专门单位，重庆全市由 重庆市城市管理局 负责',
    });
  });

  it('without a district only a city-wide body covers the report', async () => {
    await addBody({ name: '渝中区城管局', districts: ['渝中区'] });
    expect(await route({ district: null })).toEqual({
      bodyId: null, bodyName: null, kind: 'unrouted', compoundId: null, why: '「井盖缺失或破损」属城管职责，重庆没有负责此类的责任单位，由市级管理员分派',
    });
    const city = await addBody({ name: '重庆市城市管理局' });
    expect(await route({ district: null })).toMatchObject({ bodyId: city.id, why: '「井盖缺失或破损」属城管职责，重庆全市由 重庆市城市管理局 负责' });
  });

  it('reads a district by its short name or alias', async () => {
    const b = await addBody({ name: '渝中区城管局', districts: ['渝中区'] });
    expect(await route({ district: '渝中' })).toMatchObject({ bodyId: b.id, why: '「井盖缺失或破损」属城管职责，渝中区由 渝中区城管局 负责' });
  });

  it('skips bodies of another type, another city, inactive ones and those not handling the category', async () => {
    await addBody({ type: '水务', districts: ['渝中区'] });
    await addBody({ city: 'chengdu' });
    await addBody({ districts: ['渝中区'], active: false });
    await addBody({ districts: ['渝中区'], categories: ['pothole', 'construction'] });
    expect(await route()).toMatchObject({ kind: 'unrouted', why: '「井盖缺失或破损」属城管职责，重庆渝中区没有负责此类的责任单位，由市级管理员分派' });
    const all = await addBody({ name: '全类别', categories: [] });
    expect(await route()).toMatchObject({ bodyId: all.id });
  });

  it('prefers a body naming the category over one taking all of its type, then the older', async () => {
    await addBody({ districts: ['渝中区'] });
    const named = await addBody({ districts: ['渝中区'], categories: ['manhole'] });
    await addBody({ districts: ['渝中区'], categories: ['manhole'] });
    expect(await route()).toMatchObject({ bodyId: named.id });
  });

  it('finds the right body however many the city has (every page is read)', async () => {
    for (let i = 0; i < 205; i++) await addBody({ districts: ['江北区'] });
    const last = await addBody({ name: '渝中区城管局', districts: ['渝中区'] });
    expect(await route()).toMatchObject({ bodyId: last.id });
  });

  it('refuses an unknown category (422)', async () => {
    await expect(route({ category: 'volcano' })).rejects.toMatchObject({ status: 422, details: [{ field: 'category', value: 'volcano' }] });
  });
});

describe('districts', () => {
  it.each([
    ['解放碑', 'chongqing', '渝中区'],
    ['观音桥', 'chongqing', '江北区'],
    ['磁器口', 'chongqing', '沙坪坝区'],
    ['春熙路', 'chengdu', '锦江区'],
    ['宽窄巷子', 'chengdu', '青羊区'],
    ['武侯祠', 'chengdu', '武侯区'],
  ] as const)('puts %s in %s\'s %s', (place, city, district) => {
    expect(districtOf(city, at(place))).toBe(district);
  });

  it('puts a district seat in its own district, never in a functional area', () => {
    expect(districtOf('chongqing', at('万州区'))).toBe('万州区');
    expect(districtOf('chongqing', at('两江新区'))).not.toBe('两江新区');
    expect(districtOf('chengdu', at('成都高新区'))).not.toBe('成都高新区');
  });

  it.each([
    ['chongqing', '渝中区', '渝中区'], ['chongqing', '渝中', '渝中区'], ['chongqing', '石柱县', '石柱土家族自治县'],
    ['chongqing', '两江', '两江新区'], ['chengdu', '郫县', '郫都区'], ['chengdu', '渝中区', null], ['chongqing', '解放碑', null],
    ['chongqing', '朝阳区', null],
  ] as const)('reads %s district %s as %s', (city, name, full) => {
    expect(canonicalDistrict(city, name)).toBe(full);
  });

  it('lists every district, county and area of a city, and checks names against them', () => {
    expect(districtNames('chengdu')).toEqual(expect.arrayContaining(['锦江区', '简阳市', '天府新区']));
    expect(districtNames('chengdu')).not.toContain('渝中区');
    expect(checkDistricts('chongqing', ['渝中', '渝中区', '江北区'])).toEqual(['渝中区', '江北区']);
    expect(() => checkDistricts('chongqing', ['锦江区', '渝中区', '月球区'])).toThrow(expect.objectContaining({
      status: 422, details: [{ field: 'districts', value: '锦江区' }, { field: 'districts', value: '月球区' }],
    }));
  });

  it('refuses categories of another type, naming them', () => {
    expect(() => checkCategories('城管', ['manhole', 'pothole'])).not.toThrow();
    expect(() => checkCategories('城管', ['manhole', 'flooding', 'streetlight'])).toThrow(expect.objectContaining({
      status: 422, message: '类别与单位类型不符：「路面积水/内涝」属水务、「路灯故障」属供电，不属城管',
      details: [{ field: 'categories', value: 'flooding' }, { field: 'categories', value: 'streetlight' }],
    }));
  });
});

describe('demo bodies', () => {
  const demo = generateDemoBodies();

  it('are labelled, valid and unique per city, and cover every type but 物业 in both cities', () => {
    for (const b of demo) {
      expect(b).toMatchObject({ isDemo: true, name: expect.stringMatching(/^【演示】/) });
      expect(checkDistricts(b.city, b.districts)).toEqual(b.districts);
      expect(() => checkCategories(b.type, b.categories)).not.toThrow();
    }
    for (const city of ['chongqing', 'chengdu'] as const) {
      const mine = demo.filter((b) => b.city === city);
      expect(new Set(mine.map((b) => b.name)).size).toBe(mine.length);
      expect(new Set(mine.filter((b) => b.active).map((b) => b.type))).toEqual(new Set(['城管', '水务', '供电', '交通', '园林', '消防', '社区']));
    }
  });

  it('route a manhole at 解放碑 to the district body and one at 观音桥 to its own', async () => {
    for (const b of demo) await storage.bodies.create(b, NOW);
    expect(await route({ district: districtOf('chongqing', at('解放碑')) })).toMatchObject({ bodyName: '【演示】渝中区城管局' });
    expect(await route({ district: districtOf('chongqing', at('观音桥')), location: at('观音桥') })).toMatchObject({ bodyName: '【演示】江北区城管局' });
    expect(await route({ district: '九龙坡区' })).toMatchObject({ bodyName: '【演示】重庆市城市管理局' }); // its own body is inactive
    expect(await route({ city: 'chengdu', district: '锦江区', category: 'flooding', location: at('春熙路') })).toMatchObject({ bodyName: '【演示】成都市水务局' });
  });
});
