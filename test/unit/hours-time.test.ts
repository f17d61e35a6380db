import { hoursText, isOpenAt, OpeningHours, sealHours } from '../../src/shared/hours';
import { localTime } from '../../src/shared/time';

const weekly = (days: Extract<OpeningHours, { kind: 'weekly' }>['days']): OpeningHours => ({ kind: 'weekly', days });

describe('isOpenAt', () => {
  const cases: Array<[string, OpeningHours, number, string, boolean]> = [
    ['24-hour is always open', { kind: '24h' }, 3, '03:00', true],
    ['inside a day range', weekly({ wed: [{ open: '08:00', close: '22:00' }] }), 3, '08:00', true],
    ['at closing time it is closed', weekly({ wed: [{ open: '08:00', close: '22:00' }] }), 3, '22:00', false],
    ['another weekday is closed', weekly({ wed: [{ open: '08:00', close: '22:00' }] }), 4, '12:00', false],
    ['close at 24:00 includes 23:59', weekly({ wed: [{ open: '18:00', close: '24:00' }] }), 3, '23:59', true],
    ['night range, evening part', weekly({ tue: [{ open: '22:00', close: '02:00' }] }), 2, '23:30', true],
    ['night range, after midnight counts yesterday', weekly({ tue: [{ open: '22:00', close: '02:00' }] }), 3, '01:59', true],
    ['night range ends at close', weekly({ tue: [{ open: '22:00', close: '02:00' }] }), 3, '02:00', false],
    ['Saturday night runs into Sunday', weekly({ sat: [{ open: '20:00', close: '04:00' }] }), 0, '03:00', true],
    ['split day, in the gap', weekly({ mon: [{ open: '07:00', close: '11:00' }, { open: '16:00', close: '21:00' }] }), 1, '13:00', false],
    ['split day, second range', weekly({ mon: [{ open: '07:00', close: '11:00' }, { open: '16:00', close: '21:00' }] }), 1, '16:30', true],
  ];
  it.each(cases)('%s', (_n, hours, weekday, hhmm, expected) => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    expect(isOpenAt(hours, { weekday, minute: h * 60 + m })).toBe(expected);
  });
  // Stored schedules are sealed (compiled once, kept on them): the compiled answers must equal the direct ones.
  it.each(cases)('a sealed schedule answers the same: %s', (_n, hours, weekday, hhmm, expected) => {
    const sealed = JSON.parse(JSON.stringify(hours)) as OpeningHours;
    sealHours(sealed);
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    for (let i = 0; i < 2; i++) {
      expect(isOpenAt(sealed, { weekday, minute: h * 60 + m })).toBe(expected);
      expect(hoursText(sealed, weekday)).toBe(hoursText(JSON.parse(JSON.stringify(hours)) as OpeningHours, weekday));
    }
  });
  it('a sealed schedule is frozen through, and its compiled form is out of sight', () => {
    const plain: OpeningHours = weekly({ mon: [{ open: '08:00', close: '22:00' }] });
    const sealed = JSON.parse(JSON.stringify(plain)) as Extract<OpeningHours, { kind: 'weekly' }>;
    sealHours(sealed);
    expect(Object.isFrozen(sealed) && Object.isFrozen(sealed.days) && Object.isFrozen(sealed.days.mon?.[0])).toBe(true);
    expect(() => {
      (sealed.days.mon as Array<{ open: string }>)[0]!.open = '09:00';
    }).toThrow(TypeError);
    expect(sealed).toEqual(plain);
    expect(JSON.stringify(sealed)).toBe(JSON.stringify(plain));
    expect(Object.keys({ ...sealed.days })).toEqual(['mon']);
  });
  it('a schedule that is not frozen is read afresh after it changes', () => {
    const days: Extract<OpeningHours, { kind: 'weekly' }>['days'] = { wed: [{ open: '08:00', close: '22:00' }] };
    const hours = weekly(days);
    expect(isOpenAt(hours, { weekday: 3, minute: 12 * 60 })).toBe(true);
    expect(hoursText(hours, 3)).toBe('08:00-22:00');
    days.wed = [{ open: '13:00', close: '14:00' }];
    expect(isOpenAt(hours, { weekday: 3, minute: 12 * 60 })).toBe(false);
    expect(hoursText(hours, 3)).toBe('13:00-14:00');
  });
});

describe('localTime', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  it.each([
    ['UTC', '2026-11-24T17:30:00Z', { weekday: 3, minute: 90 }], // Wednesday 01:30 in Chongqing
    ['America/Los_Angeles', '2026-11-24T15:59:00Z', { weekday: 2, minute: 23 * 60 + 59 }], // Tuesday 23:59
    ['Asia/Tokyo', '2026-11-28T16:00:00Z', { weekday: 0, minute: 0 }], // Sunday 00:00
    ['Europe/London', '2026-03-29T01:30:00Z', { weekday: 0, minute: 9 * 60 + 30 }], // a DST change day in London
  ])('gives Chongqing wall-clock time when the server runs in %s', (tz, at, expected) => {
    process.env.TZ = tz;
    expect(localTime(new Date(at))).toEqual(expected);
  });
});
