import { generateDemoData } from '../../src/modules/demo/demo-data';
import { GAZETTEER } from '../../src/modules/places/gazetteer';
import { ValidationError } from '../../src/shared/errors';
import { assertInServiceArea, cityAt, SERVICE_AREAS, serviceAreaProblem } from '../../src/shared/service-area';
import type { City } from '../../src/shared/domain';
import { merchantInput, stationInput } from '../helpers/fixtures';
import { thrown } from '../helpers/errors';

const JIEFANGBEI = { lng: 106.5775, lat: 29.5594 };
const CHUNXI = { lng: 104.0776, lat: 30.6546 };


describe('service areas', () => {
  it('are the published administrative extents padded by 0.05 degrees', () => {
    expect(SERVICE_AREAS).toEqual({
      chongqing: { minLng: 105.133, maxLng: 110.233, minLat: 28.117, maxLat: 32.267 },
      chengdu: { minLng: 102.85, maxLng: 104.933, minLat: 30.033, maxLat: 31.483 },
    });
  });

  it('do not overlap, so a point belongs to at most one city', () => {
    expect(SERVICE_AREAS.chengdu.maxLng).toBeLessThan(SERVICE_AREAS.chongqing.minLng);
  });

  it.each(GAZETTEER.map((p) => [p.name, p.city, p.location] as const))('hold gazetteer place %s in %s', (_n, city, location) => {
    expect(cityAt(location)).toBe(city);
  });

  it.each([1, 7, 42])('hold every demo station and merchant of seed %i in its own city', (seed) => {
    const { stations, merchants } = generateDemoData({ stations: 500, merchants: 300, seed, now: new Date('2026-11-25T04:00:00Z') });
    const outside = [...stations, ...merchants].filter((x) => serviceAreaProblem(x.city, x.location) !== null);
    expect(outside.map((x) => x.name)).toEqual([]);
  });

  it('hold the test fixtures', () => {
    for (const x of [stationInput(), merchantInput()]) expect(serviceAreaProblem(x.city, x.location)).toBeNull();
  });
});

describe('cityAt', () => {
  it.each([
    ['解放碑', 'chongqing', JIEFANGBEI],
    ['春熙路', 'chengdu', CHUNXI],
    ['巫山 (east end of Chongqing)', 'chongqing', { lng: 110.1, lat: 31.1 }],
    ['简阳 (east end of Chengdu)', 'chengdu', { lng: 104.88, lat: 30.4 }],
    ['(0, 0)', null, { lng: 0, lat: 0 }],
    ['the north pole', null, { lng: 106.5, lat: 90 }],
    ['swapped lng/lat', null, { lng: 29.5594, lat: 106.5775 }],
    ['Beijing', null, { lng: 116.397, lat: 39.909 }],
    ['NaN', null, { lng: Number.NaN, lat: Number.NaN }],
  ] as const)('puts %s in %s', (_n, city, p) => {
    expect(cityAt(p)).toBe(city);
  });
});

describe('assertInServiceArea', () => {
  it('accepts a point in its own city', () => {
    expect(() => assertInServiceArea('chongqing', JIEFANGBEI)).not.toThrow();
    expect(() => assertInServiceArea('chengdu', CHUNXI)).not.toThrow();
  });

  it.each([
    ['chongqing', CHUNXI, '位置（104.0776, 30.6546）不在重庆市服务范围内；该位置属于成都市'],
    ['chengdu', JIEFANGBEI, '位置（106.5775, 29.5594）不在成都市服务范围内；该位置属于重庆市'],
    ['chengdu', { lng: 0, lat: 0 }, '位置（0, 0）不在成都市服务范围内'],
    ['chongqing', { lng: 106.5, lat: 90 }, '位置（106.5, 90）不在重庆市服务范围内'],
  ] as Array<[City, { lng: number; lat: number }, string]>)('refuses a %s location at %j with 422 naming location', (city, p, message) => {
    const err = thrown(() => assertInServiceArea(city, p));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.status).toBe(422);
    expect(err.message).toBe(message);
    expect(err.details).toEqual([{ field: 'location', message, city, locatedIn: cityAt(p) }]);
  });

  it('shows the point as the caller wrote it, but checks the WGS-84 one', () => {
    const err = thrown(() => assertInServiceArea('chongqing', CHUNXI, { lng: 104.08, lat: 30.65 }));
    expect(err.message).toBe('位置（104.08, 30.65）不在重庆市服务范围内；该位置属于成都市');
  });
});
