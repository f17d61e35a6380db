import type { MerchantInput } from '../../src/modules/merchants/merchants.types';
import type { StationInput } from '../../src/modules/stations/stations.types';

let seq = 0;

/** A valid WGS-84 station input near 解放碑 unless told otherwise. */
export function stationInput(over: Partial<StationInput> = {}): StationInput {
  seq++;
  return {
    externalId: null,
    name: `测试驿站${seq}`,
    city: 'chongqing',
    district: '渝中区',
    address: `渝中区测试路${seq}号`,
    location: { lng: 106.5775, lat: 29.5594 },
    hours: { kind: '24h' },
    amenities: ['seating', 'drinking_water'],
    capacity: 10,
    operator: { name: '测试运营方', phone: null },
    status: 'open',
    statusNote: null,
    isDemo: false,
    ...over,
  };
}

/** A valid WGS-84 merchant input near 春熙路 unless told otherwise. */
export function merchantInput(over: Partial<MerchantInput> = {}): MerchantInput {
  seq++;
  return {
    externalId: null,
    name: `测试商户${seq}`,
    city: 'chengdu',
    district: '锦江区',
    address: `锦江区测试街${seq}号`,
    location: { lng: 104.0776, lat: 30.6546 },
    category: '餐饮',
    discount: { text: '骑手八八折', kind: 'percent', percentOff: 12, amountOff: null, minSpend: null, conditions: ['凭骑手身份'] },
    validFrom: null,
    validTo: null,
    hours: { kind: 'weekly', days: { mon: [{ open: '08:00', close: '22:00' }] } },
    phone: null,
    status: 'active',
    isDemo: false,
    ...over,
  };
}

/** Deterministic pseudo-random numbers (mulberry32) so failures can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
