import { unmetRules, withinDailyHours, type RiderFacts } from '../../src/modules/compounds/access.rules';
import type { AccessRules } from '../../src/modules/compounds/compounds.types';
import { parsePlaceCode, placeCodeOf } from '../../src/modules/compounds/place-codes';
import type { TimeRange } from '../../src/shared/hours';

const t = (hhmm: string) => ({ weekday: 3, minute: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)) });
const range = (open: string, close: string): TimeRange => ({ open, close });

describe('withinDailyHours', () => {
  it('admits any time when there are no hours', () => {
    expect(withinDailyHours(null, t('03:00'))).toBe(true);
  });

  it('admits nobody when the list of ranges is empty', () => {
    expect(withinDailyHours([], t('12:00'))).toBe(false);
  });

  it.each([
    ['06:59', false], ['07:00', true], ['12:00', true], ['22:59', true], ['23:00', false], ['00:00', false],
  ])('in 07:00-23:00, %s is %s (open inclusive, close exclusive)', (time, expected) => {
    expect(withinDailyHours([range('07:00', '23:00')], t(time))).toBe(expected);
  });

  it.each([
    ['21:59', false], ['22:00', true], ['23:59', true], ['00:00', true], ['05:59', true], ['06:00', false], ['12:00', false],
  ])('in 22:00-06:00 (past midnight), %s is %s', (time, expected) => {
    expect(withinDailyHours([range('22:00', '06:00')], t(time))).toBe(expected);
  });

  it.each([['17:59', false], ['18:00', true], ['23:59', true], ['00:00', false]])('in 18:00-24:00, %s is %s', (time, expected) => {
    expect(withinDailyHours([range('18:00', '24:00')], t(time))).toBe(expected);
  });

  it('reads a range that closes when it opens as the whole day', () => {
    for (const time of ['00:00', '08:00', '08:01', '23:59']) expect(withinDailyHours([range('08:00', '08:00')], t(time))).toBe(true);
  });

  it.each([['08:30', true], ['12:00', false], ['18:30', true], ['23:30', true], ['01:00', true], ['03:00', false]])(
    'with several ranges (07:00-09:00, 18:00-19:00, 23:00-02:00), %s is %s', (time, expected) => {
      expect(withinDailyHours([range('07:00', '09:00'), range('18:00', '19:00'), range('23:00', '02:00')], t(time))).toBe(expected);
    },
  );
});

const OPEN_RULES: AccessRules = {
  minLevel: 'none', hours: null, platforms: null, ebikeAllowed: true, maxPassDays: 30,
  minActiveDays: null, minOnTimeRate: null, maxAtFaultAccidents: null, maxComplaints: null,
};
const GOOD_RIDER: RiderFacts = {
  level: 'platform', platform: '美团', phoneBound: true, activeSince: new Date('2026-01-01T00:00:00Z'), activeDays: 120,
  onTimeRate: 0.98, atFaultAccidents: 0, complaints: 0, attestedAt: new Date('2026-05-01T00:00:00Z'),
};
const NOBODY: RiderFacts = {
  level: 'none', platform: null, phoneBound: false, activeSince: null, activeDays: null, onTimeRate: null,
  atFaultAccidents: null, complaints: null, attestedAt: null,
};

describe('unmetRules', () => {
  it('finds nothing unmet when the rules ask for nothing, even of a rider nobody vouched for', () => {
    expect(unmetRules(OPEN_RULES, NOBODY)).toEqual([]);
  });

  it('finds nothing unmet for a rider who meets every rule', () => {
    const strict: AccessRules = {
      ...OPEN_RULES, minLevel: 'platform', platforms: ['美团', '饿了么'], minActiveDays: 30, minOnTimeRate: 0.95, maxAtFaultAccidents: 0, maxComplaints: 1,
    };
    expect(unmetRules(strict, GOOD_RIDER)).toEqual([]);
  });

  it.each([
    ['none', 'phone', ['需要已绑定手机号（当前：未认证）']],
    ['phone', 'phone', []],
    ['phone', 'platform', ['需要平台认证（当前：已绑定手机号）']],
    ['platform', 'phone', []],
  ] as const)('a rider at level %s against minLevel %s', (level, minLevel, expected) => {
    expect(unmetRules({ ...OPEN_RULES, minLevel }, { ...GOOD_RIDER, level })).toEqual(expected);
  });

  it.each([
    ['美团', []], ['饿了么', ['仅限以下平台骑手：美团、顺丰']], [null, ['仅限以下平台骑手：美团、顺丰']],
  ] as const)('a rider of platform %s where only 美团 and 顺丰 are admitted', (platform, expected) => {
    expect(unmetRules({ ...OPEN_RULES, platforms: ['美团', '顺丰'] }, { ...GOOD_RIDER, platform })).toEqual(expected);
  });

  const cases: Array<[string, Partial<AccessRules>, Partial<RiderFacts>, boolean]> = [
    ['29 active days of 30 required', { minActiveDays: 30 }, { activeDays: 29 }, false],
    ['30 active days of 30 required', { minActiveDays: 30 }, { activeDays: 30 }, true],
    ['unknown active days', { minActiveDays: 0 }, { activeDays: null }, false],
    ['an on-time rate of 94% of 95%', { minOnTimeRate: 0.95 }, { onTimeRate: 0.94 }, false],
    ['an on-time rate of exactly 95%', { minOnTimeRate: 0.95 }, { onTimeRate: 0.95 }, true],
    ['an unknown on-time rate', { minOnTimeRate: 0 }, { onTimeRate: null }, false],
    ['1 at-fault accident where none is allowed', { maxAtFaultAccidents: 0 }, { atFaultAccidents: 1 }, false],
    ['no at-fault accident where none is allowed', { maxAtFaultAccidents: 0 }, { atFaultAccidents: 0 }, true],
    ['unknown at-fault accidents', { maxAtFaultAccidents: 5 }, { atFaultAccidents: null }, false],
    ['3 complaints where 2 are allowed', { maxComplaints: 2 }, { complaints: 3 }, false],
    ['2 complaints where 2 are allowed', { maxComplaints: 2 }, { complaints: 2 }, true],
    ['unknown complaints', { maxComplaints: 5 }, { complaints: null }, false],
  ];
  it.each(cases)('judges %s', (_name, rules, facts, met) => {
    const unmet = unmetRules({ ...OPEN_RULES, ...rules }, { ...GOOD_RIDER, ...facts });
    expect(unmet).toHaveLength(met ? 0 : 1);
  });

  it('names each unmet rule with its threshold, in rule order', () => {
    const rules: AccessRules = {
      ...OPEN_RULES, minLevel: 'phone', platforms: ['京东'], minActiveDays: 30, minOnTimeRate: 0.95, maxAtFaultAccidents: 0, maxComplaints: 2,
    };
    expect(unmetRules(rules, NOBODY)).toEqual([
      '需要已绑定手机号（当前：未认证）',
      '仅限以下平台骑手：京东',
      '需连续从业至少 30 天',
      '准时率需不低于 95%',
      '有责事故不能超过 0 次',
      '投诉不能超过 2 次',
    ]);
  });
});

describe('parsePlaceCode', () => {
  const EAST = { compoundCode: '7KQ2M9XA', gateId: 'east' };

  it.each([
    ['the text code', '7KQ2M9XA-EAST'],
    ['lower case', '7kq2m9xa-east'],
    ['spaces instead of the hyphen, around it too', '  7KQ2M9XA east '],
    ['no separator', '7KQ2M9XAEAST'],
    ['the NXG: form', 'NXG:7KQ2M9XA-EAST'],
    ['the NXG: form in lower case', 'nxg:7kq2m9xa-east'],
    ['full-width characters', 'ＮＸＧ：７ＫＱ２Ｍ９ＸＡ－ＥＡＳＴ'],
    ['the URL form', 'https://nuanxin.example.cn/g/7KQ2M9XA-EAST'],
  ])('reads %s', (_name, raw) => {
    expect(parsePlaceCode(raw)).toEqual(EAST);
  });

  it('reads back what placeCodeOf prints, in both QR forms', () => {
    for (const base of ['', 'https://nuanxin.example.cn/', 'https://nuanxin.example.cn']) {
      const printed = placeCodeOf('70Q1M9XA', '2', base);
      expect(parsePlaceCode(printed.code)).toEqual({ compoundCode: '70Q1M9XA', gateId: '2' });
      expect(parsePlaceCode(printed.qrContent)).toEqual({ compoundCode: '70Q1M9XA', gateId: '2' });
    }
  });

  it.each([
    ['O for 0', '7OQ1M9XA-2'], ['o for 0', '7oQ1M9XA-2'], ['I for 1', '70QIM9XA-2'], ['L for 1', '70QLM9XA-2'], ['l for 1', '70Qlm9xa-2'],
  ])('reads the look-alike %s in the compound part', (_name, raw) => {
    expect(parsePlaceCode(raw)).toEqual({ compoundCode: '70Q1M9XA', gateId: '2' });
  });

  it('keeps look-alike letters in the gate part as they are', () => {
    expect(parsePlaceCode('70Q1M9XA-OLD')).toEqual({ compoundCode: '70Q1M9XA', gateId: 'old' });
  });

  it.each([
    ['nothing', ''],
    ['words', 'hello world'],
    ['a compound part of 7 characters', '7KQ2M9X-EAST'],
    ['a compound part with U (not in the alphabet)', '7KQ2M9XU-EAST'],
    ['no gate', '7KQ2M9XA'],
    ['a gate id of 9 characters', '7KQ2M9XA-EASTGATE1'],
    ['a gate id in Chinese', '7KQ2M9XA-东门'],
    ['another URL path', 'https://nuanxin.example.cn/x/7KQ2M9XA-EAST'],
    ['text after the code', 'NXG:7KQ2M9XA-EAST-1'],
    ['a pass code instead', '128 405 0471'],
  ])('refuses %s', (_name, raw) => {
    expect(parsePlaceCode(raw)).toBeNull();
  });
});
