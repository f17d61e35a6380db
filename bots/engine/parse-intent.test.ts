import { AMENITIES } from '../api-contract';
import { AMENITY_LABELS } from './labels';
import { parseIntent } from './parse-intent';
import type { Intent } from './types';

const stations = (where: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ kind: 'search', target: 'stations', where, amenities: [], hasSeats: false, openNow: false, guessed: false, ...extra });
const merchants = (where: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ kind: 'search', target: 'merchants', where, openNow: false, guessed: false, ...extra });
const place = (name: string) => ({ kind: 'place', name });
const remembered = { kind: 'remembered' };
const bind = (code: string | null) => ({ kind: 'bind', code });

describe('parseIntent: text', () => {
  const cases: Array<[string, Partial<Intent> | Record<string, unknown>]> = [
    ['驿站 沙坪坝', stations(place('沙坪坝'))],
    ['沙坪坝附近驿站', stations(place('沙坪坝'))],
    ['沙坪坝附近的暖新驿站在哪？', stations(place('沙坪坝'))],
    ['解放碑 有座位', stations(place('解放碑'), { hasSeats: true })],
    ['观音桥 充电', stations(place('观音桥'), { amenities: ['phone_charging'] })],
    ['观音桥 电动车充电', stations(place('观音桥'), { amenities: ['ebike_charging'] })],
    ['观音桥哪里可以换电', stations(place('观音桥'), { amenities: ['battery_swap'] })],
    ['解放碑 热水 厕所', stations(place('解放碑'), { amenities: ['hot_water', 'toilet'] })],
    ['三峡广场 热饭', stations(place('三峡广场'), { amenities: ['microwave'] })],
    ['驿站 沙坪坝 3公里', stations(place('沙坪坝'), { radiusM: 3000 })],
    ['驿站 沙坪坝 1.5km', stations(place('沙坪坝'), { radiusM: 1500 })],
    ['解放碑 驿站 500米内', stations(place('解放碑'), { radiusM: 500 })],
    ['驿站 解放碑 三公里', stations(place('解放碑'), { radiusM: 3000 })],
    ['驿站 解放碑 20公里', stations(place('解放碑'), { radiusM: 20000 })],
    ['驿站 解放碑 10米', stations(place('解放碑'), { radiusM: 100 })],
    ['驿站　解放碑　３公里', stations(place('解放碑'), { radiusM: 3000 })],
    ['营业中的驿站', stations(remembered, { openNow: true })],
    ['驿站', stations(remembered)],
    ['附近驿站', stations(remembered)],
    ['有座位', stations(remembered, { hasSeats: true })],
    ['驿站 3公里', stations(remembered, { radiusM: 3000 })],
    ['3公里', stations(remembered, { radiusM: 3000 })],
    ['春熙路 优惠', merchants(place('春熙路'))],
    ['春熙路 吃饭', merchants(place('春熙路'), { category: '餐饮' })],
    ['春熙路附近有什么吃的', merchants(place('春熙路'), { category: '餐饮' })],
    ['商户', merchants(remembered)],
    ['优惠', merchants(remembered)],
    ['吃饭', merchants(remembered, { category: '餐饮' })],
    ['附近哪里可以修车', merchants(remembered, { category: '维修' })],
    ['优惠 春熙路 5公里', merchants(place('春熙路'), { radiusM: 5000 })],
    ['驿站附近的优惠', merchants(remembered)],
    ['沙坪坝', stations(place('沙坪坝'), { guessed: true })],
    ['重庆市沙坪坝区', stations(place('重庆市沙坪坝区'), { guessed: true })],
    ['帮助', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    [' help ', { kind: 'help' }],
    ['？', { kind: 'help' }],
    ['你好', { kind: 'hint' }],
    ['谢谢！', { kind: 'hint' }],
    ['哈哈哈', { kind: 'hint' }],
    ['天气真好啊', stations(place('天气真好'), { guessed: true })],
    ['', { kind: 'hint' }],
    ['今天送了三十单，腿都跑断了，老板还扣我钱', { kind: 'hint' }],
    ['驿站 解放碑 25公里', { kind: 'radius_too_large', maxRadiusM: 20000 }],
    ['绑定 K7M2Q9XA', bind('K7M2Q9XA')],
    ['绑定K7M2Q9XA', bind('K7M2Q9XA')],
    ['bind k7m2q9xa', bind('K7M2Q9XA')],
    ['BIND K7M2-Q9XA', bind('K7M2Q9XA')],
    ['绑定 k7m2 q9xa', bind('K7M2Q9XA')],
    ['绑定：K7M2Q9XA。', bind('K7M2Q9XA')],
    ['绑定码 K7M2Q9XA', bind('K7M2Q9XA')],
    ['绑定　Ｋ７Ｍ２－Ｑ９ＸＡ', bind('K7M2Q9XA')],
    ['绑定 ABC123', bind('ABC123')],
    ['绑定 ABCDEF123456', bind('ABCDEF123456')],
    ['绑定 ABC12', bind(null)],
    ['绑定 ABCDEF1234567', bind(null)],
    ['绑定', bind(null)],
    ['绑定 张师傅', bind(null)],
    ['binding', stations(place('binding'), { guessed: true })],
    ['我是谁', { kind: 'whoami' }],
    ['我是谁？', { kind: 'whoami' }],
    ['whoami', { kind: 'whoami' }],
    ['Who am I?', { kind: 'whoami' }],
  ];

  it.each(cases)('%s', (text, expected) => {
    expect(parseIntent({ kind: 'text', text })).toEqual(expected);
  });
});

describe('parseIntent: other messages', () => {
  it('searches stations at a shared location', () => {
    expect(parseIntent({ kind: 'location', lng: 106.5775, lat: 29.5582, name: '解放碑' }))
      .toEqual(stations({ kind: 'point', lng: 106.5775, lat: 29.5582, name: '解放碑' }));
  });

  it('answers voice and pictures with the unsupported hint', () => {
    expect(parseIntent({ kind: 'unsupported' })).toEqual({ kind: 'unsupported' });
  });

  it.each(AMENITIES)('reads the label of %s back as the same filter', (amenity) => {
    expect(parseIntent({ kind: 'text', text: `驿站 解放碑 ${AMENITY_LABELS[amenity]}` }))
      .toEqual(stations(place('解放碑'), { amenities: [amenity] }));
  });
});
