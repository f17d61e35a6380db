import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, EXAMPLE_TIME, idParams, isoTime, objectId } from '../../shared/openapi/schemas';
import { ENTRY_METHODS, ENTRY_REASONS, PASS_STATUSES, REQUEST_STATUSES } from './compounds.types';

const OTHER_ID = '6650a1b2c3d4e5f601234568';
const range = z.object({ open: z.string(), close: z.string() });
const maskedRider = z.object({ displayName: z.string().nullable(), platform: z.string().nullable(), maskedPhone: z.string().nullable() });

export const requestSchema = z.object({
  id: objectId, compoundId: objectId, compoundName: z.string().nullable(), riderId: objectId, rider: maskedRider.nullable(),
  reason: z.string().nullable(), durationDays: z.number().int(), status: z.enum(REQUEST_STATUSES), decidedAt: isoTime.nullable(),
  decidedBy: z.enum(['auto', 'manager']).nullable(), decisionNote: z.string().nullable(), passId: objectId.nullable(),
  overdue: z.boolean().meta({ description: '待审批超过设定时间（ACCESS_OVERDUE_MINUTES）' }), createdAt: isoTime,
});
export const passSchema = z.object({
  id: objectId, number: z.number().int().min(1), compoundId: objectId, compoundName: z.string().nullable(), riderId: objectId,
  validFrom: isoTime, validTo: isoTime, hours: z.array(range).nullable(), status: z.enum(PASS_STATUSES),
  current: z.boolean().meta({ description: '此刻有效（未撤销、在有效期内）' }), revokedAt: isoTime.nullable(), revokeReason: z.string().nullable(),
});
const entrySchema = z.object({
  id: objectId, gateId: z.string(), at: isoTime, method: z.enum(ENTRY_METHODS), allowed: z.boolean(), reason: z.enum(ENTRY_REASONS),
  passId: objectId.nullable(), riderId: objectId.nullable(), checkerKind: z.enum(['staff', 'device']),
});
const blockSchema = z.object({ id: objectId, compoundId: objectId, riderId: objectId, reason: z.string(), createdAt: isoTime, liftedAt: isoTime.nullable() });
const deviceSchema = z.object({ id: objectId, compoundId: objectId, name: z.string(), createdAt: isoTime, revokedAt: isoTime.nullable() });
const verifySchema = z.object({
  allowed: z.boolean(), reason: z.enum(ENTRY_REASONS), message: z.string(),
  rider: z.object({ displayName: z.string().nullable(), platform: z.string().nullable(), maskedPhone: z.string().nullable(), verificationLevel: z.string() }).nullable(),
  pass: z.object({ id: objectId, number: z.number().int(), validTo: isoTime }).nullable(), entryId: objectId,
});

const requestExample = {
  id: EXAMPLE_ID, compoundId: OTHER_ID, compoundName: '龙湖香醍漫步', riderId: EXAMPLE_ID, rider: { displayName: '小王', platform: '美团', maskedPhone: '138****1234' },
  reason: '每天午高峰送餐', durationDays: 30, status: 'pending', decidedAt: null, decidedBy: null, decisionNote: null, passId: null, overdue: false, createdAt: EXAMPLE_TIME,
};
const passExample = {
  id: EXAMPLE_ID, number: 128, compoundId: OTHER_ID, compoundName: '龙湖香醍漫步', riderId: EXAMPLE_ID, validFrom: EXAMPLE_TIME,
  validTo: '2026-12-25T04:00:00.000Z', hours: [{ open: '07:00', close: '23:00' }], status: 'active', current: true, revokedAt: null, revokeReason: null,
};
const outcome = z.object({ request: requestSchema, pass: passSchema.nullable(), unmet: z.array(z.string()) });
const compoundParams = z.object({ id: objectId });
const paged = (item: z.ZodType) => z.object({ data: z.array(item), meta: z.object({ next: z.string().nullable() }) });

export const placeCodeDoc: RouteDoc = {
  method: 'get', path: '/:id/gates/:gateId/place-code', tags: ['compounds'], access: ['city_admin', 'property_manager', 'gate_guard'],
  summary: '门的场所码（打印张贴）', description: '骑手扫码或发送文字码即可查看本小区通行证，或发起进入申请。',
  params: z.object({ id: objectId, gateId: z.string() }),
  responses: { 200: {
    description: '文字码与二维码内容', schema: dataOf(z.object({ compoundId: objectId, gateId: z.string(), gateName: z.string(), code: z.string(), qrContent: z.string() })),
    example: { data: { compoundId: EXAMPLE_ID, gateId: 'east', gateName: '东门', code: 'K3M9P7QX-EAST', qrContent: 'NXG:K3M9P7QX-EAST' } },
  } },
};

/** The declarations of the access routes, on the schemas their handlers validate with. */
export function accessDocs(s: Record<'request' | 'approve' | 'deny' | 'revoke' | 'block' | 'device' | 'verify' | 'scan' | 'list' | 'entries' | 'summary' | 'page', z.ZodType>) {
  const tags = ['access'];
  const one = (schema: z.ZodType, example: unknown, description = '成功') => ({ description, schema: dataOf(schema), example: { data: example } });
  return {
    request: {
      method: 'post', path: '/', tags, access: ['rider'], summary: '申请进入小区',
      description: '同一小区已有待审批申请或有效通行证时返回原来的（200）。规则允许时立即批准；小区不对骑手开放或骑手被禁止时立即拒绝并说明原因；否则等待物业审批。',
      body: s.request, bodyExample: { compoundId: OTHER_ID, reason: '每天午高峰送餐', durationDays: 30 }, errors: [403, 404, 422],
      responses: { 201: one(outcome, { request: requestExample, pass: null, unmet: [] }, '已提交'), 200: one(outcome, { request: requestExample, pass: null, unmet: [] }, '已有申请或通行证') },
    },
    list: {
      method: 'get', path: '/', tags, access: ['city_admin', 'property_manager'], summary: '进入申请列表（物业、城市管理员）',
      description: '物业只看到自己管理的小区；可按状态、小区筛选，overdue=true 只看超时未审批的。', query: s.list, errors: [404, 422],
      responses: { 200: { description: '按时间先后', schema: paged(requestSchema), example: { data: [requestExample], meta: { next: null } } } },
    },
    approve: {
      method: 'post', path: '/:id/approve', tags, access: ['city_admin', 'property_manager'], summary: '批准申请', params: idParams,
      description: '可缩短天数（不能超过申请的天数）。重复批准返回同一结果；已拒绝的申请 409。', body: s.approve, bodyExample: { durationDays: 7 },
      errors: [404, 409, 422], responses: { 200: one(z.object({ request: requestSchema, pass: passSchema.nullable() }), { request: { ...requestExample, status: 'approved' }, pass: passExample }) },
    },
    deny: {
      method: 'post', path: '/:id/deny', tags, access: ['city_admin', 'property_manager'], summary: '拒绝申请（须写原因，骑手可见）', params: idParams,
      body: s.deny, bodyExample: { reason: '本小区仅限美团骑手' }, errors: [404, 409, 422], responses: { 200: one(requestSchema, { ...requestExample, status: 'denied', decisionNote: '本小区仅限美团骑手' }) },
    },
    mine: {
      method: 'get', path: '/access-requests', tags, access: ['rider'], summary: '我的进入申请', query: s.page,
      responses: { 200: { description: '最近的在前', schema: paged(requestSchema), example: { data: [requestExample], meta: { next: null } } } },
    },
    passes: {
      method: 'get', path: '/passes', tags, access: ['rider'], summary: '我的通行证', query: s.page,
      responses: { 200: { description: '所有通行证（含已过期、已撤销）', schema: paged(passSchema), example: { data: [passExample], meta: { next: null } } } },
    },
    code: {
      method: 'get', path: '/passes/:id/code', tags, access: ['rider'], summary: '通行码（每 30 秒变化）', params: idParams,
      description: '通行证号加 7 位动态码；门岗输入时可带空格。通行证无效时 409 说明原因。', errors: [404, 409],
      responses: { 200: one(z.object({ code: z.string(), display: z.string(), expiresInSeconds: z.number().int() }), { code: '1284059371', display: '128 405 9371', expiresInSeconds: 17 }) },
    },
    qr: {
      method: 'get', path: '/passes/:id/qr', tags, access: ['rider'], summary: '通行二维码（60 秒内有效，一次有效）', params: idParams,
      description: 'Ed25519 签名的 JWS，门禁设备可用 /.well-known/jwks.json 离线验证。', errors: [404, 409],
      responses: { 200: one(z.object({ token: z.string(), expiresInSeconds: z.number().int() }), { token: 'eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJwaWQiOiIxIn0.c2ln', expiresInSeconds: 60 }) },
    },
    revoke: {
      method: 'post', path: '/:id/revoke', tags, access: ['city_admin', 'property_manager'], summary: '撤销通行证（原因骑手可见）', params: idParams,
      body: s.revoke, bodyExample: { reason: '多次在小区内骑快车' }, errors: [404, 409, 422], responses: { 200: one(passSchema, { ...passExample, status: 'revoked', current: false, revokeReason: '多次在小区内骑快车' }) },
    },
    block: {
      method: 'post', path: '/:id/blocks', tags, access: ['city_admin', 'property_manager'], summary: '禁止骑手进入本小区（原因骑手可见）', params: compoundParams,
      description: '骑手在本小区的通行证一并撤销。', body: s.block, bodyExample: { riderId: EXAMPLE_ID, reason: '与门岗发生冲突' }, errors: [404, 409, 422],
      responses: { 201: one(z.object({ block: blockSchema, revokedPasses: z.number().int() }), { block: { id: EXAMPLE_ID, compoundId: OTHER_ID, riderId: EXAMPLE_ID, reason: '与门岗发生冲突', createdAt: EXAMPLE_TIME, liftedAt: null }, revokedPasses: 1 }) },
    },
    blocks: {
      method: 'get', path: '/:id/blocks', tags, access: ['city_admin', 'property_manager'], summary: '本小区的禁止记录', params: compoundParams, query: s.page,
      responses: { 200: { description: '按时间先后', schema: paged(blockSchema) } },
    },
    lift: {
      method: 'post', path: '/:id/blocks/:blockId/lift', tags, access: ['city_admin', 'property_manager'], summary: '解除禁止',
      params: z.object({ id: objectId, blockId: objectId }), errors: [404], responses: { 200: one(blockSchema, { id: EXAMPLE_ID, compoundId: OTHER_ID, riderId: EXAMPLE_ID, reason: '与门岗发生冲突', createdAt: EXAMPLE_TIME, liftedAt: EXAMPLE_TIME }) },
    },
    entries: {
      method: 'get', path: '/:id/entries', tags, access: ['city_admin', 'property_manager'], summary: '门岗核验记录（最新在前）', params: compoundParams, query: s.entries,
      responses: { 200: { description: '每次核验，允许或拒绝', schema: paged(entrySchema) } },
    },
    summary: {
      method: 'get', path: '/:id/summary', tags, access: ['city_admin', 'property_manager'], summary: '每日汇总（JSON 或 CSV）', params: compoundParams, query: s.summary,
      description: '按北京时间一天：申请数、批准数、批准用时中位数（分钟）、进入次数、按原因的拒绝次数。format=csv 下载表格。', errors: [422],
      responses: { 200: {
        description: '汇总', schema: dataOf(z.object({
          date: z.string(), requests: z.number().int(), approvals: z.number().int(), denials: z.number().int(), medianApprovalMinutes: z.number().nullable(),
          entries: z.number().int(), allowed: z.number().int(), refusals: z.record(z.string(), z.number().int()),
        })),
        example: { data: { date: '2026-11-25', requests: 12, approvals: 10, denials: 1, medianApprovalMinutes: 14, entries: 230, allowed: 221, refusals: { wrong_code: 6, expired: 3 } } },
      } },
    },
    device: {
      method: 'post', path: '/:id/devices', tags, access: ['city_admin', 'property_manager'], summary: '为门禁设备签发凭证（只显示一次）', params: compoundParams,
      description: '设备用请求头 X-Gate-Device-Token 调用 POST /api/v1/gates/verify。', body: s.device, bodyExample: { name: '东门闸机' }, errors: [422],
      responses: { 201: one(z.object({ device: deviceSchema, token: z.string() }), { device: { id: EXAMPLE_ID, compoundId: OTHER_ID, name: '东门闸机', createdAt: EXAMPLE_TIME, revokedAt: null }, token: 'gd_2Qm9...' }) },
    },
    devices: {
      method: 'get', path: '/:id/devices', tags, access: ['city_admin', 'property_manager'], summary: '本小区的门禁设备', params: compoundParams, query: s.page,
      responses: { 200: { description: '设备列表（不含凭证）', schema: paged(deviceSchema) } },
    },
    revokeDevice: {
      method: 'post', path: '/:id/devices/:deviceId/revoke', tags, access: ['city_admin', 'property_manager'], summary: '停用门禁设备',
      params: z.object({ id: objectId, deviceId: objectId }), errors: [404], responses: { 200: one(deviceSchema, { id: EXAMPLE_ID, compoundId: OTHER_ID, name: '东门闸机', createdAt: EXAMPLE_TIME, revokedAt: EXAMPLE_TIME }) },
    },
    verify: {
      method: 'post', path: '/verify', tags, access: ['gate_guard'], summary: '门岗核验通行码或二维码',
      description: '本小区门岗（或带 X-Gate-Device-Token 的本小区门禁设备）调用。每次核验都会记录；同一门岗、设备或门每分钟输错过多（GATE_WRONG_CODES_PER_MINUTE）后返回 429。',
      body: s.verify, bodyExample: { compoundId: OTHER_ID, gateId: 'east', code: '128 405 9371' }, errors: [404, 422, 429],
      responses: { 200: one(verifySchema, {
        allowed: true, reason: 'ok', message: '允许进入', rider: { displayName: '小王', platform: '美团', maskedPhone: '138****1234', verificationLevel: 'platform' },
        pass: { id: EXAMPLE_ID, number: 128, validTo: '2026-12-25T04:00:00.000Z' }, entryId: EXAMPLE_ID,
      }) },
    },
    scan: {
      method: 'post', path: '/scan', tags, access: ['rider'], summary: '骑手扫门上的场所码',
      description: '已有有效通行证则返回它；否则返回待审批的申请，或按小区规则新发起一个申请。', body: s.scan, bodyExample: { code: 'K3M9P7QX-EAST' }, errors: [404, 422],
      responses: { 200: one(z.object({ compoundId: objectId, compoundName: z.string(), gateId: z.string(), notes: z.string().nullable(), request: requestSchema.nullable(), pass: passSchema.nullable(), unmet: z.array(z.string()) }),
        { compoundId: OTHER_ID, compoundName: '龙湖香醍漫步', gateId: 'east', notes: '走东门', request: null, pass: passExample, unmet: [] }) },
    },
  } satisfies Record<string, RouteDoc>;
}
