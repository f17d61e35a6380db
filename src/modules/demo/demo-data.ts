import { EARTH_RADIUS_M, haversineM, roundLngLat, type LngLat } from '../../shared/geo';
import type { OpeningHours, TimeRange } from '../../shared/hours';
import { WEEKDAYS, type Weekday } from '../../shared/time';
import { AMENITIES, type Amenity, type StationInput } from '../stations/stations.types';
import { MERCHANT_CATEGORIES, type Discount, type MerchantCategory, type MerchantInput } from '../merchants/merchants.types';
import { type City } from '../../shared/domain';
import { GAZETTEER, type Place } from '../places/gazetteer';

export interface DemoOptions {
  stations: number;
  merchants: number;
  seed?: number;
  now: Date;
}

export const DEMO_PREFIX = '【演示】';
const DAY_MS = 86_400_000;
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

/** mulberry32: a tiny seeded PRNG, so the same seed always yields the same demo set. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = ReturnType<typeof createRng>;

function createRng(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const weighted = <T>(list: readonly T[], weight: (x: T) => number): T => {
    let r = next() * list.reduce((s, x) => s + weight(x), 0);
    for (const x of list) if ((r -= weight(x)) < 0) return x;
    return list[list.length - 1] as T;
  };
  // Box-Muller, clamped to 3 sigma so no point strays far from its anchor.
  const gauss = () => Math.max(-3, Math.min(3, Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())));
  return { next, chance: (p: number) => next() < p, int, pick, weighted, gauss };
}

interface Anchor {
  place: Place;
  district: string;
  sigmaM: number;
  weight: number;
}

const CITY_CENTRE: Record<City, string> = { chongqing: '解放碑', chengdu: '天府广场' };
const centreOf = (city: City) => GAZETTEER.find((p) => p.name === CITY_CENTRE[city])?.location;

/** Districts within 15 km of the city centre count as urban. */
function isUrban(p: Place): boolean {
  const centre = centreOf(p.city);
  return centre !== undefined && haversineM(p.location, centre) <= 15_000;
}

// Landmarks scatter tightly; urban districts draw more items than rural ones.
const ANCHORS: Anchor[] = GAZETTEER.map((place) => place.kind === 'landmark'
  ? { place, district: place.district ?? place.name, sigmaM: 400, weight: 3 }
  : { place, district: place.name, sigmaM: 1500, weight: isUrban(place) ? 6 : 1 });

function scatter(rng: Rng, c: LngLat, sigmaM: number): LngLat {
  const lat = c.lat + (rng.gauss() * sigmaM) / M_PER_DEG;
  const lng = c.lng + (rng.gauss() * sigmaM) / (M_PER_DEG * Math.cos((c.lat * Math.PI) / 180));
  return roundLngLat({ lng, lat });
}

function everyDay(...ranges: Array<[string, string]>): OpeningHours {
  const days: Partial<Record<Weekday, TimeRange[]>> = {};
  for (const d of WEEKDAYS) days[d] = ranges.map(([open, close]) => ({ open, close }));
  return { kind: 'weekly', days };
}

const pad4 = (n: number) => String(n).padStart(4, '0');
const daysFrom = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS);

const AMENITY_ODDS: Record<Amenity, number> = {
  drinking_water: 0.85, hot_water: 0.6, microwave: 0.4, fridge: 0.2, phone_charging: 0.8, ebike_charging: 0.35,
  battery_swap: 0.1, toilet: 0.5, seating: 1, air_conditioning: 0.55, wifi: 0.5, first_aid: 0.45, rain_gear: 0.3,
  repair_tools: 0.25,
};
const HOSTS = ['社区', '工会', '商圈', '加油站', '物业', '街道'];
const CLOSED_NOTES = ['设备检修，暂停开放', '场地装修，暂停开放', '临时停电，暂停开放'];

function stationHours(rng: Rng): OpeningHours {
  const r = rng.next();
  if (r < 0.2) return { kind: '24h' };
  if (r < 0.32) return everyDay(rng.pick<[string, string]>([['18:00', '02:00'], ['20:00', '04:00'], ['16:00', '01:00']]));
  if (r < 0.85) return everyDay(['08:00', '22:00']);
  return everyDay(rng.pick<[string, string]>([['07:30', '21:30'], ['09:00', '21:00'], ['06:00', '20:00']]));
}

function demoStation(rng: Rng, n: number): StationInput {
  const a = rng.weighted(ANCHORS, (x) => x.weight);
  const label = a.place.kind === 'landmark' ? a.place.name : rng.pick(HOSTS);
  const closed = rng.chance(0.06);
  return {
    externalId: `demo-station-${pad4(n)}`,
    name: `${DEMO_PREFIX}${a.district}·${label}暖新驿站 ${n}号`,
    city: a.place.city,
    district: a.district,
    address: `${a.district}演示路${n}号（演示数据）`,
    location: scatter(rng, a.place.location, a.sigmaM),
    hours: stationHours(rng),
    amenities: AMENITIES.filter((x) => rng.chance(AMENITY_ODDS[x])),
    capacity: rng.int(4, 20),
    operator: { name: '演示运营方', phone: null },
    status: closed ? 'temporarily_closed' : 'open',
    statusNote: closed ? rng.pick(CLOSED_NOTES) : null,
    isDemo: true,
  };
}

const CATEGORY_WEIGHT: Record<MerchantCategory, number> = { 餐饮: 45, 便利店: 25, 维修: 10, 理发: 6, 洗衣: 4, 药店: 6, 其他: 4 };
const SHOPS: Record<MerchantCategory, string[]> = {
  餐饮: ['小面馆', '家常菜馆', '快餐店', '米粉店', '抄手馆', '盖饭店'],
  便利店: ['便利店', '小超市'],
  维修: ['电动车维修店', '手机维修店'],
  理发: ['理发店'],
  洗衣: ['洗衣店'],
  药店: ['大药房'],
  其他: ['打印店', '五金店'],
};
const ZHE: Record<number, string> = { 5: '九五折', 10: '九折', 12: '八八折', 15: '八五折', 20: '八折' };
const CONDITIONS = ['凭骑手身份', '出示骑手APP接单页', '穿工装或戴头盔', '每人每日限一次'];

function demoDiscount(rng: Rng): Discount {
  const conditions = [rng.pick(CONDITIONS)];
  const extra = rng.pick(CONDITIONS);
  if (rng.chance(0.3) && extra !== conditions[0]) conditions.push(extra);
  const r = rng.next();
  if (r < 0.45) {
    const off = rng.pick([5, 10, 12, 15, 20]);
    return { text: `骑手${ZHE[off]}`, kind: 'percent', percentOff: off, amountOff: null, minSpend: null, conditions };
  }
  if (r < 0.85) {
    const [amountOff, minSpend] = rng.pick([[3, 20], [5, 30], [8, 40], [10, 50]] as const);
    return { text: `满${minSpend}减${amountOff}`, kind: 'amount', percentOff: null, amountOff, minSpend, conditions };
  }
  const text = rng.pick(['免费加饭一次', '免费续热水', '免费手机充电', '赠送饮料一瓶']);
  return { text, kind: 'other', percentOff: null, amountOff: null, minSpend: null, conditions };
}

function merchantHours(rng: Rng, category: MerchantCategory): OpeningHours {
  if (category === '餐饮') {
    const r = rng.next();
    if (r < 0.1) return everyDay(['17:00', '02:00']);
    return r < 0.55 ? everyDay(['10:00', '14:00'], ['16:30', '22:00']) : everyDay(['09:00', '21:30']);
  }
  return category === '便利店' ? everyDay(['07:00', '23:00']) : everyDay(['09:00', '20:00']);
}

function demoMerchant(rng: Rng, n: number, now: Date): MerchantInput {
  const a = rng.weighted(ANCHORS, (x) => x.weight);
  const category = rng.weighted(MERCHANT_CATEGORIES, (c) => CATEGORY_WEIGHT[c]);
  const label = a.place.kind === 'landmark' ? a.place.name : '';
  const r = rng.next();
  // About one in ten has already expired, so the "expired discounts are hidden" rule shows.
  const validTo = r < 0.1 ? daysFrom(now, -rng.int(1, 6)) : r < 0.45 ? daysFrom(now, rng.int(30, 365)) : null;
  return {
    externalId: `demo-merchant-${pad4(n)}`,
    name: `${DEMO_PREFIX}${a.district}·${label}${rng.pick(SHOPS[category])} ${n}号`,
    city: a.place.city,
    district: a.district,
    address: `${a.district}演示街${n}号（演示数据）`,
    location: scatter(rng, a.place.location, a.sigmaM),
    category,
    discount: demoDiscount(rng),
    validFrom: daysFrom(now, -rng.int(7, 180)),
    validTo,
    hours: merchantHours(rng, category),
    phone: null,
    status: 'active',
    isDemo: true,
  };
}

/** A deterministic, clearly labelled demo set spread over both cities' districts and landmarks. */
export function generateDemoData(opts: DemoOptions): { stations: StationInput[]; merchants: MerchantInput[] } {
  const seed = opts.seed ?? 20240501;
  // Separate streams: asking for more stations leaves the merchants unchanged.
  const stationRng = createRng(seed);
  const merchantRng = createRng(seed ^ 0x9e3779b9);
  const stations = Array.from({ length: opts.stations }, (_, i) => demoStation(stationRng, i + 1));
  const merchants = Array.from({ length: opts.merchants }, (_, i) => demoMerchant(merchantRng, i + 1, opts.now));
  return { stations, merchants };
}
