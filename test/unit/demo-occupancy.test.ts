import { generateDemoData } from '../../src/modules/demo/demo-data';
import { seatsAt, SLOT_MINUTES } from '../../src/modules/demo/demo-occupancy';
import type { LocalTime } from '../../src/shared/time';

const NOW = new Date('2026-11-25T04:00:00Z');
const stations = generateDemoData({ stations: 300, merchants: 0, seed: 7, now: NOW })
  .stations.map((s, i) => ({ ...s, id: `demo-${i}` }));
const allDay = stations.filter((s) => s.hours.kind === '24h' && s.status === 'open');
const WED = 3;
const at = (hhmm: string, weekday = WED): LocalTime =>
  ({ weekday, minute: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) });
const total = (list: typeof stations, t: LocalTime) => list.reduce((n, s) => n + seatsAt(s, t), 0);

describe('seatsAt', () => {
  it('stays between 0 and the capacity, in whole seats, in every slot of the week', () => {
    const wrong: string[] = [];
    for (const s of stations) {
      for (let weekday = 0; weekday < 7; weekday++) {
        for (let minute = 0; minute < 1440; minute += SLOT_MINUTES) {
          const seats = seatsAt(s, { weekday, minute });
          if (!Number.isInteger(seats) || seats < 0 || seats > s.capacity) wrong.push(`${s.id} ${weekday} ${minute}: ${seats}/${s.capacity}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(['11:15', '12:00', '13:00', '17:30', '18:30', '19:30'])('leaves fewer free seats at %s than at 15:00', (hhmm) => {
    expect(allDay.length).toBeGreaterThan(20);
    for (const s of allDay) expect(seatsAt(s, at(hhmm))).toBeLessThanOrEqual(seatsAt(s, at('15:00')));
    expect(total(allDay, at(hhmm))).toBeLessThan(total(allDay, at('15:00')) * 0.7);
  });

  it('is quiet at night: most seats free at 03:00', () => {
    const capacity = allDay.reduce((n, s) => n + s.capacity, 0);
    expect(total(allDay, at('03:00'))).toBeGreaterThan(capacity * 0.8);
    expect(total(allDay, at('03:00'))).toBeGreaterThan(total(allDay, at('15:00')));
  });

  it('gives the same count within one 15-minute slot, and varies between stations and slots', () => {
    for (const s of stations) expect(seatsAt(s, at('12:00'))).toBe(seatsAt(s, at('12:14')));
    const counts = allDay.map((s) => seatsAt(s, at('15:00')) / s.capacity);
    expect(new Set(counts).size).toBeGreaterThan(5);
    expect(allDay.some((s) => seatsAt(s, at('15:00')) !== seatsAt(s, at('15:15')))).toBe(true);
  });

  it('reports no free seats while a station is closed or outside its hours', () => {
    const s = allDay[0]!;
    expect(seatsAt({ ...s, status: 'temporarily_closed' }, at('15:00'))).toBe(0);
    const daytime = { ...s, hours: { kind: 'weekly' as const, days: { wed: [{ open: '08:00', close: '22:00' }] } } };
    expect(seatsAt(daytime, at('23:00'))).toBe(0);
    expect(seatsAt(daytime, at('15:00'))).toBe(seatsAt(s, at('15:00')));
  });
});
