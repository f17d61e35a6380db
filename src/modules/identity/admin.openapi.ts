import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, EXAMPLE_TIME, idParams, isoTime, objectId } from '../../shared/openapi/schemas';
import { riderExample, riderViewSchema, staffExample, staffViewSchema } from './identity.openapi';
import { HOLDING_KEYS, STAFF_ROLES } from './identity.types';

const tags = ['admin'];
// Staff and rider records are not public: callers who may not see them hear 404, not 403 (the policy's HIDDEN actions).
const admin = ['city_admin'] as const;
const ids = z.array(objectId);
const holdingIds = Object.fromEntries(HOLDING_KEYS.map((k) => [k, ids])) as Record<(typeof HOLDING_KEYS)[number], typeof ids>;
const invitation = z.object({ id: objectId, role: z.enum(STAFF_ROLES), ...holdingIds, expiresAt: isoTime });
const holdingsExample = { stationIds: [EXAMPLE_ID], merchantIds: [], compoundIds: [], bodyIds: [] };

const auditEntry = z.object({
  id: objectId,
  at: isoTime,
  actorId: objectId,
  actorRole: z.enum(STAFF_ROLES),
  city: z.enum(CITIES).nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: objectId.nullable(),
  summary: z.record(z.string(), z.unknown()),
  requestId: z.string(),
});

type Schemas = Record<'invite' | 'page' | 'staffList' | 'staffPatch' | 'riderList' | 'riderPatch' | 'audit', z.ZodType>;

/** The declarations of /api/v1/admin, on the schemas its handlers validate with. */
export function adminDocs(s: Schemas): Record<'invite' | 'invitations' | 'staff' | 'staffPatch' | 'riders' | 'riderPatch' | 'audit', RouteDoc> {
  const params = idParams;
  return {
    invite: {
      method: 'post', path: '/invitations', tags, access: admin, summary: '创建员工邀请码',
      description: '邀请码 10 位，只显示这一次；所给驿站、商户须在本市。', body: s.invite,
      bodyExample: { role: 'station_operator', stationIds: [EXAMPLE_ID], expiresInHours: 72 }, errors: [422],
      responses: { 201: {
        description: '邀请已创建', schema: dataOf(invitation.extend({ code: z.string() })),
        example: { data: { id: EXAMPLE_ID, code: 'K7M2Q9X4TB', expiresAt: EXAMPLE_TIME, role: 'station_operator', ...holdingsExample } },
      } },
    },
    invitations: {
      method: 'get', path: '/invitations', tags, access: admin, summary: '本市的邀请', query: s.page,
      responses: { 200: {
        description: '按 id 升序，用 after 翻页',
        schema: dataOf(z.array(invitation.extend({ usedAt: isoTime.nullable(), usedBy: z.string().nullable(), createdBy: objectId }))),
        example: { data: [{ id: EXAMPLE_ID, role: 'station_operator', ...holdingsExample, expiresAt: EXAMPLE_TIME, usedAt: null, usedBy: null, createdBy: EXAMPLE_ID }] },
      } },
    },
    staff: {
      method: 'get', path: '/staff', tags, access: admin, summary: '本市的工作人员', query: s.staffList, errors: [404],
      responses: { 200: { description: '按 id 升序', schema: dataOf(z.array(staffViewSchema)), example: { data: [staffExample] } } },
    },
    staffPatch: {
      method: 'patch', path: '/staff/:id', tags, access: admin, summary: '修改工作人员（持有、停用、名称）',
      description: '停用即结束其所有会话；其他城市的员工答 404。', params, body: s.staffPatch,
      bodyExample: { status: 'disabled' }, errors: [409, 422],
      responses: { 200: { description: '修改后的工作人员', schema: dataOf(staffViewSchema), example: { data: { ...staffExample, status: 'disabled' } } } },
    },
    riders: {
      method: 'get', path: '/riders', tags, access: admin, summary: '本市的骑手（手机号打码）', query: s.riderList, errors: [404],
      responses: { 200: { description: '按 id 升序', schema: dataOf(z.array(riderViewSchema)), example: { data: [riderExample] } } },
    },
    riderPatch: {
      method: 'patch', path: '/riders/:id', tags, access: admin, summary: '修改骑手认证或状态',
      description: '停用即结束其所有会话；其他城市的骑手答 404。', params, body: s.riderPatch,
      bodyExample: { verification: 'admin_verified' }, errors: [422],
      responses: { 200: { description: '修改后的骑手', schema: dataOf(riderViewSchema), example: { data: { ...riderExample, verification: 'admin_verified' } } } },
    },
    audit: {
      method: 'get', path: '/audit', tags, access: admin, summary: '本市的审计日志（新的在前）', query: s.audit,
      responses: { 200: {
        description: '用 meta.nextBefore 作下一页的 before',
        schema: z.object({ data: z.array(auditEntry), meta: z.object({ nextBefore: objectId.nullable() }) }),
        example: { data: [{
          id: EXAMPLE_ID, at: EXAMPLE_TIME, actorId: EXAMPLE_ID, actorRole: 'station_operator', city: 'chongqing', action: 'station.occupancy',
          objectType: 'station', objectId: EXAMPLE_ID, summary: { available: 3, previous: 5 }, requestId: '3f1c2a9e-7b4d-4c1e-9a57-2d8e6f0b1c3a',
        }], meta: { nextBefore: null } },
      } },
    },
  };
}
