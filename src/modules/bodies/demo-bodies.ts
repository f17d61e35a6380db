import type { City } from '../../shared/domain';
import type { BodyType } from '../hazards/categories';
import { DEMO_PREFIX } from '../demo/demo-data';
import type { BodyContact, BodyInput } from './bodies.types';

/** [name, type, districts, categories, contact, active]; contacts are example.org addresses, never a real line. */
type Row = [string, BodyType, string[], string[], BodyContact?, boolean?];

const STAFF: BodyContact = { channel: 'staff', value: '在本系统处理（演示）' };
const mail = (local: string): BodyContact => ({ channel: 'email', value: `${local}@example.org` });

// The first three of each city are what the development login's body_staff holds: a district body, the city-wide one
// of the same type, and one of another type, so its queue shows each kind of route.
const ROWS: Record<City, Row[]> = {
  chongqing: [
    ['渝中区城管局', '城管', ['渝中区'], [], STAFF],
    ['重庆市城市管理局', '城管', [], [], STAFF],
    ['重庆市水务局', '水务', [], [], STAFF],
    ['江北区城管局', '城管', ['江北区'], [], mail('cq-jiangbei-cg')],
    ['沙坪坝区城管局', '城管', ['沙坪坝区'], ['manhole', 'pothole'], mail('cq-shapingba-cg')],
    ['重庆市路灯管理中心', '供电', [], ['streetlight'], { channel: 'open311', value: 'https://open311.example.org/chongqing/v2' }],
    ['重庆市交巡警总队', '交通', [], [], mail('cq-traffic')],
    ['重庆市园林绿化服务中心', '园林', [], [], mail('cq-parks')],
    ['重庆市消防救援总队', '消防', [], [], mail('cq-fire')],
    ['渝中区解放碑街道', '社区', ['渝中区'], [], mail('cq-jiefangbei')],
    ['沙坪坝区渝碚路街道', '社区', ['沙坪坝区'], [], mail('cq-yubeilu')],
    ['九龙坡区城管局（已停用）', '城管', ['九龙坡区'], [], mail('cq-jiulongpo-cg'), false],
  ],
  chengdu: [
    ['锦江区城管局', '城管', ['锦江区'], [], STAFF],
    ['成都市城市管理委员会', '城管', [], [], STAFF],
    ['成都市水务局', '水务', [], [], STAFF],
    ['武侯区城管局', '城管', ['武侯区'], [], mail('cd-wuhou-cg')],
    ['青羊区城管局', '城管', ['青羊区'], ['manhole', 'pothole'], mail('cd-qingyang-cg')],
    ['成都市路灯管理处', '供电', [], ['streetlight'], { channel: 'open311', value: 'https://open311.example.org/chengdu/v2' }],
    ['成都市公安局交通管理局', '交通', [], [], mail('cd-traffic')],
    ['成都市公园城市建设管理局', '园林', [], [], mail('cd-parks')],
    ['成都市消防救援支队', '消防', [], [], mail('cd-fire')],
    ['锦江区春熙路街道', '社区', ['锦江区'], [], mail('cd-chunxilu')],
    ['成华区城管局（已停用）', '城管', ['成华区'], [], mail('cd-chenghua-cg'), false],
  ],
};

/** Demo responsible bodies of both cities, labelled 【演示】, in the order they are stored (the first three per city first). */
export function generateDemoBodies(): BodyInput[] {
  return (Object.entries(ROWS) as Array<[City, Row[]]>).flatMap(([city, rows]) => rows.map(([name, type, districts, categories, contact = STAFF, active = true]) => ({
    city, name: `${DEMO_PREFIX}${name}`, type, districts, categories, contact, active, isDemo: true,
  })));
}
