import type { Compound, Hazard, Staff } from '../api-contract';
import { STAFF } from './fixtures';

/** Contacts the fake service knows as staff from the start (any other contact is a rider). */
export const OPERATOR_CONTACT = 'wxid_op';
export const ONE_STATION_CONTACT = 'wxid_op1';
export const MANAGER_CONTACT = 'wxid_li';
export const GUARD_CONTACT = 'wxid_guard';
export const TWO_COMPOUND_GUARD_CONTACT = 'wxid_guard2';
/** A rider who already holds a current pass for 幸福里 (cp-1). */
export const PASS_HOLDER_CONTACT = 'wxid_pass';

export const ONE_STATION_STAFF: Staff = { ...STAFF, id: 'sf-3', displayName: '刘姐', username: 'liu', holdings: { ...STAFF.holdings, stationIds: ['st-1'] } };
export const GUARD: Staff = {
  id: 'sf-4', role: 'gate_guard', username: 'wang', displayName: '王保安', city: 'chongqing',
  holdings: { stationIds: [], merchantIds: [], compoundIds: ['cp-1'], bodyIds: [] }, status: 'active',
};
export const TWO_COMPOUND_GUARD: Staff = { ...GUARD, id: 'sf-5', displayName: '赵保安', holdings: { ...GUARD.holdings, compoundIds: ['cp-1', 'cp-2'] } };

const gates = (...names: Array<[string, string]>) => names.map(([id, name]) => ({ id, name }));
/** Compounds: two 幸福里 (a name with several matches), one 龙湖 (a single match), one closed to riders. */
export const COMPOUNDS: Array<Compound & { gates: Array<{ id: string; name: string }> }> = [
  { id: 'cp-1', name: '【演示】渝中区幸福里', city: 'chongqing', district: '渝中区', address: '渝中区演示大道1号', accessMode: 'manual', notes: '走东门', gates: gates(['east', '东门'], ['south', '南门']) },
  { id: 'cp-2', name: '【演示】渝中区幸福里 2期', city: 'chongqing', district: '渝中区', address: '渝中区演示大道11号', accessMode: 'manual', notes: null, gates: gates(['east', '东门']) },
  { id: 'cp-3', name: '龙湖香醍漫步', city: 'chongqing', district: '渝北区', address: '金开大道 68 号', accessMode: 'auto', notes: null, gates: gates(['east', '东门']) },
  { id: 'cp-4', name: '融创白象街', city: 'chongqing', district: '渝中区', address: '白象街 1 号', accessMode: 'closed', notes: null, gates: gates(['east', '东门']) },
];

/** The place code printed on 幸福里's east gate, and the code the pass holder's phone shows now. */
export const PLACE_CODE = 'K3M9P7QX-EAST';
export const PASS_CODE = '1284059371';
export const PASS_CODE_DISPLAY = '128 405 9371';

/** A GCJ-02 point at 解放碑, and an open manhole report 20 m from it. */
export const JIEFANGBEI = { lng: 106.5775, lat: 29.5582 };
export const NEARBY_HAZARD: Hazard = {
  id: 'hz-1', category: 'manhole', categoryName: '井盖缺失或破损', description: '井盖破裂，电动车差点掉进去', address: '民族路 188 号门口',
  status: 'submitted', statusName: '已提交', supportCount: 2, distanceM: 20, route: { bodyName: '渝中区城管局', why: '' },
  rejectReason: null, createdAt: '2025-05-31T02:00:00.000Z',
};
