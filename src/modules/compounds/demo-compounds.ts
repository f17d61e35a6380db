import { CITIES, type City } from '../../shared/domain';
import { roundLngLat, type LngLat } from '../../shared/geo';
import { GAZETTEER } from '../places/gazetteer';
import { DEMO_PREFIX, mulberry32 } from '../demo/demo-data';
import type { AccessMode, CompoundInput } from './compounds.types';

const M_PER_DEG = 111_320;
const NAMES = ['幸福里', '阳光花园', '锦绣苑', '滨江郡', '翠湖居', '金沙湾', '书香苑', '和平小区', '桂花园', '天悦府'];
const COMPANIES = ['演示物业', '演示智慧服务', '演示社区物业'];
// The first compounds of each city (which the development login's manager and guard hold) show each mode once.
const FIRST_MODES: AccessMode[] = ['manual', 'auto', 'closed'];

const offset = (p: LngLat, eastM: number, northM: number): LngLat => roundLngLat({
  lng: p.lng + eastM / (M_PER_DEG * Math.cos((p.lat * Math.PI) / 180)),
  lat: p.lat + northM / M_PER_DEG,
});

function demoCompound(city: City, n: number, rand: () => number): CompoundInput {
  const anchors = GAZETTEER.filter((p) => p.city === city && p.kind === 'landmark');
  const anchor = anchors[Math.floor(rand() * anchors.length)] ?? anchors[0];
  if (!anchor) throw new Error(`no landmark in ${city}`);
  const location = offset(anchor.location, (rand() - 0.5) * 2000, (rand() - 0.5) * 2000);
  const mode = FIRST_MODES[n - 1] ?? (rand() < 0.7 ? 'manual' : 'auto');
  const name = `${DEMO_PREFIX}${anchor.district ?? anchor.name}${NAMES[(n - 1) % NAMES.length]}${n > NAMES.length ? ` ${Math.ceil(n / NAMES.length)}期` : ''}`;
  return {
    externalId: `demo-compound-${city}-${String(n).padStart(3, '0')}`,
    name,
    city,
    district: anchor.district ?? anchor.name,
    address: `${anchor.district ?? anchor.name}演示大道${n}号（演示数据）`,
    location,
    propertyCompany: COMPANIES[n % COMPANIES.length] as string,
    gates: [
      { id: 'east', name: '东门', location: offset(location, 120, 0) },
      { id: 'south', name: '南门', location: offset(location, 0, -120) },
    ],
    policy: {
      mode,
      rules: {
        minLevel: mode === 'auto' ? 'phone' : 'none', hours: [{ open: '07:00', close: '23:00' }], platforms: null,
        ebikeAllowed: rand() < 0.4, maxPassDays: 30, minActiveDays: null, minOnTimeRate: null, maxAtFaultAccidents: null, maxComplaints: null,
      },
    },
    notes: mode === 'closed' ? '本小区暂不对骑手开放，请在东门外交接（演示数据）' : '走东门，电动车停东门外车棚，楼栋见门口指示牌（演示数据）',
    isDemo: true,
  };
}

/** Demo compounds with gates in both cities, labelled 【演示】; the same seed gives the same compounds. */
export function generateDemoCompounds(perCity: number, seed = 20261201): CompoundInput[] {
  const rand = mulberry32(seed);
  return CITIES.flatMap((city) => Array.from({ length: perCity }, (_, i) => demoCompound(city, i + 1, rand)));
}
