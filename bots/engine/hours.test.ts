import { hoursPhrase, localClock, needsWeeklyHours, parseRanges } from './hours';

const at = (hhmm: string, day = '2025-06-01') => new Date(`${day}T${hhmm}:00+08:00`); // 2025-06-01 is a Sunday
const weekly = (days: Record<string, Array<{ open: string; close: string }>>) => ({ kind: 'weekly' as const, days });

describe('opening hours in a rider\'s words', () => {
  it('reads the wall clock of Chongqing whatever the server\'s zone', () => {
    expect(localClock(new Date('2025-06-01T16:30:00Z'))).toEqual({ weekday: 1, minute: 30 });
  });

  it.each([
    ['08:00-22:00', ['12:00', true], '营业至22:00'],
    ['18:00-02:00', ['20:00', true], '营业至次日2:00'],
    ['08:00-12:00, 14:00-22:00', ['15:00', true], '营业至22:00'],
    ['08:00-12:00, 14:00-22:00', ['12:30', false], '今天14:00开门'],
    ['08:00-22:00', ['06:30', false], '今天8:00开门'],
    ['08:00-22:00', ['22:30', false], '今日已打烊（8:00-22:00）'],
    ['今日休息', ['12:00', false], '今日休息'],
    ['24小时', ['03:00', true], '24小时营业'],
  ] as const)('%s at %j says %s', (todayHours, [time, openNow], phrase) => {
    expect(hoursPhrase({ todayHours, openNow }, at(time))).toBe(phrase);
  });

  it('names tomorrow\'s opening from the weekly hours when today\'s are over', () => {
    const hours = weekly({ sun: [{ open: '08:00', close: '22:00' }], mon: [{ open: '08:30', close: '22:00' }] });
    expect(hoursPhrase({ todayHours: '08:00-22:00', openNow: false, hours }, at('22:30'))).toBe('明天8:30开门');
  });

  it('names the weekday when the next opening is later in the week', () => {
    const hours = weekly({ wed: [{ open: '09:00', close: '17:00' }] });
    expect(hoursPhrase({ todayHours: '今日休息', openNow: false, hours }, at('10:00'))).toBe('今日休息，周三9:00开门');
  });

  it('asks for the weekly hours only when they could tell more', () => {
    expect(needsWeeklyHours({ todayHours: '08:00-22:00', openNow: true }, at('12:00'))).toBe(false);
    expect(needsWeeklyHours({ todayHours: '08:00-22:00', openNow: false }, at('06:00'))).toBe(false);
    expect(needsWeeklyHours({ todayHours: '08:00-22:00', openNow: false }, at('23:00'))).toBe(true);
    expect(needsWeeklyHours({ todayHours: '今日休息', openNow: false }, at('12:00'))).toBe(true);
  });

  it('reads ranges from the API\'s todayHours and nothing from other text', () => {
    expect(parseRanges('08:00-12:00, 14:00-24:00')).toEqual([[480, 720], [840, 1440]]);
    expect(parseRanges('今日休息')).toEqual([]);
  });
});
