import type { MerchantsResult, StationsResult } from '../api-contract';
import { MERCHANTS, STATIONS } from '../testing/fixtures';
import { widerRadius } from './format-common';
import { formatError } from './format-error';
import { formatMerchants } from './format-merchants';
import { formatStation, formatStations } from './format-stations';
import { formatDistance, formatRadius } from './text';
import type { MerchantSearch, ResolvedSearch, StationSearch } from './types';

type StationsS = ResolvedSearch & StationSearch;
const now = new Date('2025-06-01T12:00:00+08:00');
const MAP = (lng: number, lat: number, name: string) => `   地图 https://uri.amap.com/marker?position=${lng},${lat}&name=${encodeURIComponent(name)}&coordinate=gaode`;
type MerchantsS = ResolvedSearch & MerchantSearch;

const stationSearch = (over: Partial<StationsS> = {}): StationsS => ({
  target: 'stations', center: { place: '解放碑' }, label: '解放碑', limit: 5, guessed: false,
  amenities: [], hasSeats: false, openNow: false, ...over,
});
const merchantSearch = (over: Partial<MerchantsS> = {}): MerchantsS => ({
  target: 'merchants', center: { place: '春熙路' }, label: '春熙路', limit: 5, guessed: false, openNow: false, ...over,
});
const stations = (data = STATIONS, radius = 1000, place: string | null = '解放碑'): StationsResult =>
  ({ data, meta: { radius, count: data.length, place: place ? { name: place, city: 'chongqing' } : null } });
const merchants = (data = MERCHANTS, radius = 1000): MerchantsResult =>
  ({ data, meta: { radius, count: data.length, place: { name: '春熙路', city: 'chengdu' } } });

describe('formatStations', () => {
  it('lists stations with distance, status, seats, address and amenities', () => {
    expect(formatStations(stations(), stationSearch(), now)).toBe([
      '解放碑附近1公里内的暖新驿站：',
      '1. 【演示】解放碑暖新驿站 · 230米 · 营业至22:00 · 空位 3/10',
      '   渝中区民族路1号 · 热水 充电 卫生间',
      MAP(106.5781, 29.5576, '【演示】解放碑暖新驿站'),
      '2. 【演示】较场口暖新驿站 · 1.3公里 · 今日休息',
      '   渝中区较场口88号',
      MAP(106.5741, 29.5513, '【演示】较场口暖新驿站'),
      '3. 【演示】洪崖洞暖新驿站 · 480米 · 暂停开放：设备检修，6月3日恢复',
      '   渝中区嘉陵江滨江路88号 · 微波炉',
      MAP(106.5794, 29.5633, '【演示】洪崖洞暖新驿站'),
      '发送「商户」看附近的骑手优惠',
    ].join('\n'));
  });

  it('puts closed stations after open ones, so they never crowd them out of the list', () => {
    const closed = (i: number) => ({ ...STATIONS[2]!, id: `c${i}`, name: `关闭${i}`, distanceM: 10 * i });
    const open = (i: number) => ({ ...STATIONS[0]!, id: `o${i}`, name: `开放${i}`, distanceM: 1000 + i });
    const data = [closed(1), closed(2), { ...STATIONS[1]!, name: '晚开' }, closed(3), open(1), open(2), open(3), open(4)];
    const names = formatStations(stations(data), stationSearch(), now).match(/^\d\. \S+/gm);
    expect(names).toEqual(['1. 开放1', '2. 开放2', '3. 开放3', '4. 开放4', '5. 晚开']);
  });

  it('leaves the seats out when the count is not fresh', () => {
    expect(formatStation({ ...STATIONS[0]!, available: null }, 0, now).split('\n')[0]).toBe('1. 【演示】解放碑暖新驿站 · 230米 · 营业至22:00');
  });

  it.each([
    [['hot_water'], false, false, '你附近1公里内有热水的驿站：'],
    [['phone_charging'], false, false, '你附近1公里内能充电的驿站：'],
    [['hot_water', 'phone_charging'], true, true, '你附近1公里内营业中、有空位、有热水、能充电的驿站：'],
    [['microwave', 'ebike_charging'], false, false, '你附近1公里内能热饭、能给电动车充电的驿站：'],
  ] as const)('titles %j (seats %s, open %s) naturally', (amenities, hasSeats, openNow, title) => {
    const search = stationSearch({ center: { lng: 1, lat: 2 }, label: null, amenities: [...amenities], hasSeats, openNow });
    expect(formatStations(stations(STATIONS.slice(0, 1), 1000, null), search, now).split('\n')[0]).toBe(title);
  });

  it('says "你附近" for a shared location and names the filters in the header', () => {
    const text = formatStations(stations(STATIONS.slice(0, 1), 1000, null), stationSearch({ center: { lng: 1, lat: 2 }, label: null, hasSeats: true, amenities: ['phone_charging'] }), now);
    expect(text.split('\n')[0]).toBe('你附近1公里内有空位、能充电的驿站：');
  });

  it('shows at most `limit` stations, and at most six amenities', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ ...STATIONS[0]!, id: `s${i}`, amenities: ['hot_water', 'microwave', 'fridge', 'toilet', 'wifi', 'seating', 'rain_gear'] }));
    const text = formatStations(stations(many), stationSearch(), now);
    expect(text.match(/^\d\. /gm)).toHaveLength(5);
    expect(text).toContain('热水 微波炉 冰箱 卫生间 WiFi 座椅等');
  });

  it('suggests a wider radius when nothing is found', () => {
    expect(formatStations(stations([], 1000, '沙坪坝'), stationSearch({ label: '沙坪坝', center: { place: '沙坪坝' } }), now))
      .toBe('1公里内没有找到暖新驿站，试试发送更大的范围，如「驿站 沙坪坝 3公里」');
  });

  it('keeps the filters in the wider suggestion, and omits the place for a shared location', () => {
    expect(formatStations(stations([], 3000, null), stationSearch({ center: { lng: 1, lat: 2 }, label: null, hasSeats: true }), now))
      .toBe('3公里内没有找到有空位的驿站，试试发送更大的范围，如「驿站 有座位 5公里」');
  });

  it.each([[500, 1000], [800, 3000], [1000, 3000], [3000, 5000], [5000, 10000], [10000, 20000], [15000, 20000], [20000, null]])(
    'after %d m suggests %s m', (current, wider) => expect(widerRadius(current)).toBe(wider),
  );

  it('stops suggesting at 20 km', () => {
    expect(formatStations(stations([], 20000), stationSearch(), now)).toBe('20公里内没有找到暖新驿站，换个地点试试吧。');
  });

  it('reads a status it does not know as closed', () => {
    expect(formatStation({ ...STATIONS[0]!, status: 'closed' }, 0, now)).toMatch(/^1\. .* · 230米 · 已关闭\n/);
  });
});

describe('formatMerchants', () => {
  it('lists merchants with the rider discount and its conditions', () => {
    expect(formatMerchants(merchants(), merchantSearch(), now)).toBe([
      '春熙路附近1公里内的优惠商户：',
      '1. 【演示】老街小面 · 150米 · 营业至21:00',
      '   【餐饮】骑手9折（出示骑手App接单页）',
      '   渝中区八一路12号',
      MAP(106.5769, 29.5589, '【演示】老街小面'),
      '2. 【演示】快修电动车 · 2.4公里 · 今日已打烊（9:00-11:00）',
      '   【维修】补胎立减5元',
      '   渝中区中华路5号',
      MAP(106.5702, 29.5521, '【演示】快修电动车'),
      '发送「驿站」看附近的暖新驿站',
    ].join('\n'));
  });

  it('suggests the same category wider when nothing is found', () => {
    expect(formatMerchants(merchants([]), merchantSearch({ category: '餐饮' }), now))
      .toBe('1公里内没有找到餐饮优惠商户，试试发送更大的范围，如「春熙路 吃饭 3公里」');
  });
});

describe('formatError', () => {
  it('offers the API suggestions for an unknown place as a command to copy', () => {
    const err = { status: 404, message: '未找到地点「沙平坝」', suggestions: ['沙坪坝区（重庆）', '沙坪坝（重庆）'] };
    expect(formatError(err, stationSearch({ center: { place: '沙平坝' }, label: '沙平坝' }))).toBe([
      '未找到地点「沙平坝」',
      '你是不是要找：沙坪坝区（重庆）、沙坪坝（重庆）',
      '可以这样发：「驿站 沙坪坝区」',
    ].join('\n'));
    expect(formatError(err, merchantSearch({ center: { place: '沙平坝' }, category: '餐饮' })).split('\n')[2]).toBe('可以这样发：「沙坪坝区 吃饭」');
  });

  it('gives the usage hint when a bare word was only guessed to be a place', () => {
    const err = { status: 404, message: '未找到地点「哈哈哈」', suggestions: [] };
    expect(formatError(err, stationSearch({ center: { place: '哈哈哈' }, guessed: true }))).toMatch(/^没看懂呢/);
    expect(formatError(err, stationSearch({ center: { place: '哈哈哈' } }))).toBe('未找到地点「哈哈哈」');
  });

  it('passes other API messages through without the parameter name', () => {
    expect(formatError({ status: 400, message: '参数 radius 有误：不能大于 20000', suggestions: [] }, stationSearch())).toBe('不能大于 20000');
    expect(formatError({ status: 422, message: '地名「解放碑」在重庆，不在成都', suggestions: [] }, stationSearch())).toBe('地名「解放碑」在重庆，不在成都');
  });

  it('never shows a server fault', () => {
    expect(formatError({ status: 500, message: 'db exploded', suggestions: [] }, stationSearch())).toBe('服务暂时不可用，请稍后再试');
  });
});

describe('distances', () => {
  it.each([[0, '0米'], [230, '230米'], [999.6, '1公里'], [1000, '1公里'], [1260, '1.3公里'], [9960, '10公里'], [12345, '12公里']])(
    'formatDistance(%d) is %s', (m, s) => expect(formatDistance(m)).toBe(s),
  );
  it.each([[500, '500米'], [1000, '1公里'], [2500, '2.5公里'], [20000, '20公里']])(
    'formatRadius(%d) is %s', (m, s) => expect(formatRadius(m)).toBe(s),
  );
});
