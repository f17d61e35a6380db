import { fromWgs84, roundLngLat, type CoordSys } from '../../shared/geo';
import { categoryOf } from './categories';
import type { HazardReport } from './hazards.types';
import { isOverdue, STATUS_NAMES } from './hazards.service';

const ROLE_NAMES: Record<string, string> = {
  rider: '上报人', city_admin: '市级管理员', property_manager: '物业', body_staff: '责任单位', system: '系统',
};

/** A report as anyone may see it: never who reported or supported it, only how many support it. */
export function hazardView(r: HazardReport & { distanceM?: number }, v: { coordSys: CoordSys; now: Date }) {
  return {
    id: r.id,
    city: r.city,
    district: r.district,
    category: r.category,
    categoryName: categoryOf(r.category)?.name ?? r.category,
    class: r.class,
    description: r.description,
    address: r.address,
    location: roundLngLat(fromWgs84(r.location, v.coordSys)),
    ...(r.distanceM !== undefined ? { distanceM: Math.round(r.distanceM) } : {}),
    photos: r.photos.map((p, i) => ({
      url: `/api/v1/hazards/${r.id}/photos/${i + 1}`, thumbUrl: `/api/v1/hazards/${r.id}/photos/${i + 1}/thumb`, width: p.width, height: p.height,
    })),
    status: r.status,
    statusName: STATUS_NAMES[r.status],
    supportCount: r.supportCount,
    duplicateOf: r.duplicateOf,
    route: { kind: r.route.kind, bodyName: r.route.bodyName, why: r.route.why },
    rejectReason: r.rejectReason,
    rejectedBy: r.rejectedBy ? (ROLE_NAMES[r.updates.findLast((u) => u.status === 'rejected')?.byRole ?? ''] ?? '工作人员') : null,
    fixed: r.fixed,
    overdue: isOverdue(r, v.now),
    updates: r.updates.map((u) => ({ at: u.at.toISOString(), status: u.status, statusName: STATUS_NAMES[u.status], by: ROLE_NAMES[u.byRole] ?? '工作人员', note: u.note })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The staff view adds who reported, who supports it, and where routing sent it. */
export function hazardStaffView(r: HazardReport, v: { coordSys: CoordSys; now: Date }) {
  return {
    ...hazardView(r, v),
    reporterId: r.reporterId,
    supporters: r.supporters,
    hidden: r.hidden,
    routing: r.route,
    updates: r.updates.map((u) => ({ at: u.at.toISOString(), status: u.status, statusName: STATUS_NAMES[u.status], by: u.by, byRole: u.byRole, note: u.note })),
  };
}
