import { parseHoursText, parseDays } from '../../src/modules/import/hours-text';
import { inferDiscount } from '../../src/modules/merchants/discount';
import { decodeUtf8, parseCsv } from '../../src/modules/import/csv';
import { columnFor } from '../../src/modules/import/columns';
import { STATION_COLUMNS, toAmenities } from '../../src/modules/stations/stations.import';
import { toDateTime } from '../../src/modules/import/values';
import { FieldError } from '../../src/modules/import/import.types';
import { hoursSchema } from '../../src/shared/schema';

const every = (ranges: Array<{ open: string; close: string }>) =>
  Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, ranges]));

describe('parseHoursText', () => {
  it.each([
    ['24小时', { kind: '24h' }],
    ['24h', { kind: '24h' }],
    ['全天', { kind: '24h' }],
    ['24小时营业', { kind: '24h' }],
    ['08:00-22:00', { kind: 'weekly', days: every([{ open: '08:00', close: '22:00' }]) }],
    ['8:00 - 22:00', { kind: 'weekly', days: every([{ open: '08:00', close: '22:00' }]) }],
    ['18:00-02:00', { kind: 'weekly', days: every([{ open: '18:00', close: '02:00' }]) }],
    ['每天 07:00～09:00，11:00-13:30', { kind: 'weekly', days: every([{ open: '07:00', close: '09:00' }, { open: '11:00', close: '13:30' }]) }],
    ['周一至周五 08:00-20:00; 周六,周日 09:00-18:00', {
      kind: 'weekly',
      days: {
        mon: [{ open: '08:00', close: '20:00' }], tue: [{ open: '08:00', close: '20:00' }], wed: [{ open: '08:00', close: '20:00' }],
        thu: [{ open: '08:00', close: '20:00' }], fri: [{ open: '08:00', close: '20:00' }],
        sat: [{ open: '09:00', close: '18:00' }], sun: [{ open: '09:00', close: '18:00' }],
      },
    }],
    ['周五 到 周一 20:00-04:00；周二休息', {
      kind: 'weekly',
      days: {
        fri: [{ open: '20:00', close: '04:00' }], sat: [{ open: '20:00', close: '04:00' }],
        sun: [{ open: '20:00', close: '04:00' }], mon: [{ open: '20:00', close: '04:00' }],
      },
    }],
    ['{"kind":"24h"}', { kind: '24h' }],
  ])('reads %j', (text, expected) => {
    const hours = parseHoursText(text);
    expect(hours).toEqual(expected);
    expect(hoursSchema.safeParse(hours).success).toBe(true);
  });

  it.each([
    ['营业中'], ['周八 08:00-20:00'], ['08:00-'], ['8点到22点'], ['{"kind":'], ['周一至周日 休息'],
  ])('refuses %j naming the hours column', (text) => {
    expect(() => parseHoursText(text)).toThrow(FieldError);
  });

  it('leaves out-of-range times for the schema to refuse', () => {
    expect(hoursSchema.safeParse(parseHoursText('09:00-25:00')).success).toBe(false);
  });

  it('passes a GeoJSON hours object through unchanged', () => {
    const obj = { kind: 'weekly', days: { mon: [{ open: '09:00', close: '17:00' }] } };
    expect(parseHoursText(obj)).toBe(obj);
  });

  it.each([
    ['工作日', [1, 2, 3, 4, 5]], ['周末', [6, 0]], ['Mon-Wed', [1, 2, 3]], ['星期六、星期日', [6, 0]], ['', [0, 1, 2, 3, 4, 5, 6]],
  ])('reads the days %j', (spec, days) => {
    expect(parseDays(spec)).toEqual(days);
  });
});

describe('inferDiscount', () => {
  it.each([
    ['全场8.8折', { kind: 'percent', percentOff: 12 }],
    ['八八折', { kind: 'percent', percentOff: 12 }],
    ['骑手九折', { kind: 'percent', percentOff: 10 }],
    ['88折', { kind: 'percent', percentOff: 12 }],
    ['7.5折', { kind: 'percent', percentOff: 25 }],
    ['满30减5', { kind: 'amount', minSpend: 30, amountOff: 5 }],
    ['满 100 元减 15', { kind: 'amount', minSpend: 100, amountOff: 15 }],
    ['立减3元', { kind: 'amount', amountOff: 3 }],
    ['送一瓶矿泉水', { kind: 'other' }],
  ])('reads %j', (text, expected) => {
    expect(inferDiscount(text)).toEqual(expected);
  });
});

describe('cell values', () => {
  it.each([
    ['外部编号', 'externalId'], ['编号', 'externalId'], [' External_ID ', 'externalId'], ['LNG', 'lng'],
    ['经度（GCJ-02）', 'lng'], ['座位数', 'capacity'], ['容量', 'capacity'], ['备注', null],
  ])('header %j names %j', (header, field) => {
    expect(columnFor(header, STATION_COLUMNS.aliases)).toBe(field);
  });

  it('reads amenities from codes and Chinese labels with any separator', () => {
    expect(toAmenities('热水，微波炉、WiFi|厕所;急救')).toEqual(['hot_water', 'microwave', 'wifi', 'toilet', 'first_aid']);
    expect(() => toAmenities('热水,按摩椅')).toThrow('按摩椅');
  });

  it('reads a bare date as a whole day in Asia/Shanghai', () => {
    expect(toDateTime('validFrom', '2026-11-01', false)).toBe('2026-11-01T00:00:00.000+08:00');
    expect(toDateTime('validTo', '2026/11/30', true)).toBe('2026-11-30T23:59:59.999+08:00');
    expect(() => toDateTime('validTo', '2026-02-30', true)).toThrow(FieldError);
  });
});

describe('CSV reading', () => {
  it('numbers rows by physical line, across quoted newlines, CRLF and blank lines', () => {
    const text = '\uFEFF名称,城市,区县,地址,经度,纬度,营业时间,座位数\r\n'
      + 'a,重庆,渝中区,"多行\r\n地址",106.5,29.5,24h,4\r\n\r\n,,,,,,,\r\nb,重庆,渝中区,x,106.5,29.5,24h,4\r\n';
    const parsed = parseCsv(decodeUtf8(Buffer.from(text)), STATION_COLUMNS);
    expect(parsed.rows.map((r) => [r.ref, r.values.name])).toEqual([[{ line: 2 }, 'a'], [{ line: 6 }, 'b']]);
  });

  it.each([
    ['a quote never closed', 'a,重庆,渝中区,"x路1号,106.5,29.5,24h,4\n', /引号没有闭合/],
    ['a quote inside a cell', 'a,重庆,渝中区,x"路"1号,106.5,29.5,24h,4\n', /引号出现在单元格中间/],
    ['text after a closing quote', 'a,重庆,渝中区,"x路"1号,106.5,29.5,24h,4\n', /引号用法不对/],
  ])('says in Chinese what is wrong with %s, keeping the parser\'s own words in details', (_what, row, message) => {
    const text = `名称,城市,区县,地址,经度,纬度,营业时间,座位数\n${row}`;
    let caught: { message: string; details: { reason: string } } | undefined;
    try {
      parseCsv(text, STATION_COLUMNS);
    } catch (err) {
      caught = err as typeof caught;
    }
    expect(caught?.message).toMatch(message);
    expect(caught?.message).not.toMatch(/[A-Za-z]{4,}/);
    expect(caught?.details.reason).toEqual(expect.any(String));
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => decodeUtf8(Buffer.from([0xd6, 0xd0, 0xce, 0xc4]))).toThrow(/UTF-8.*GBK/);
  });
});
