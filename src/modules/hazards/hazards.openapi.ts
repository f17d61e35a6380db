import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, EXAMPLE_TIME, idParams, isoTime, lngLatOut, objectId } from '../../shared/openapi/schemas';
import { BODY_TYPES, HAZARD_CLASSES } from './categories';
import { HAZARD_STATUSES } from './hazards.types';

const tags = ['hazards'];
const update = z.object({ at: isoTime, status: z.enum(HAZARD_STATUSES), statusName: z.string(), by: z.string(), note: z.string().nullable() });
export const hazardSchema = z.object({
  id: objectId, city: z.enum(['chongqing', 'chengdu']), district: z.string().nullable(), category: z.string(), categoryName: z.string(),
  class: z.enum(HAZARD_CLASSES), description: z.string(), address: z.string().nullable(), location: lngLatOut,
  distanceM: z.number().int().optional(),
  photos: z.array(z.object({ url: z.string(), thumbUrl: z.string(), width: z.number().int(), height: z.number().int() })),
  status: z.enum(HAZARD_STATUSES), statusName: z.string(), supportCount: z.number().int().min(0), duplicateOf: objectId.nullable(),
  route: z.object({ kind: z.enum(['body', 'compound', 'unrouted']), bodyName: z.string().nullable(), why: z.string() }),
  rejectReason: z.string().nullable(), rejectedBy: z.string().nullable(), fixed: z.boolean().nullable(),
  overdue: z.boolean().meta({ description: '在当前状态停留超过该类别允许的时间' }), updates: z.array(update), createdAt: isoTime, updatedAt: isoTime,
});
const staffSchema = hazardSchema.extend({
  reporterId: objectId, supporters: z.array(objectId), hidden: z.boolean(),
  routing: z.object({ bodyId: objectId.nullable(), bodyName: z.string().nullable(), kind: z.string(), compoundId: objectId.nullable(), why: z.string() }),
  updates: z.array(update.extend({ byRole: z.string() })),
});
const example = {
  id: EXAMPLE_ID, city: 'chongqing', district: '渝中区', category: 'manhole', categoryName: '井盖缺失或破损', class: '大事',
  description: '解放碑步行街东口井盖破裂，电动车差点掉进去', address: '民族路 188 号门口', location: { lng: 106.5816, lat: 29.5568 },
  photos: [{ url: `/api/v1/hazards/${EXAMPLE_ID}/photos/1`, thumbUrl: `/api/v1/hazards/${EXAMPLE_ID}/photos/1/thumb`, width: 2048, height: 1536 }],
  status: 'submitted', statusName: '已提交', supportCount: 2, duplicateOf: null,
  route: { kind: 'body', bodyName: '渝中区城管局', why: '「井盖缺失或破损」属城管职责，渝中区由 渝中区城管局 负责' },
  rejectReason: null, rejectedBy: null, fixed: null, overdue: false,
  updates: [{ at: EXAMPLE_TIME, status: 'submitted', statusName: '已提交', by: '上报人', note: null }], createdAt: EXAMPLE_TIME, updatedAt: EXAMPLE_TIME,
};
const one = (description = '上报') => ({ description, schema: dataOf(hazardSchema), example: { data: example } });
const staffExample = {
  ...example, reporterId: EXAMPLE_ID, supporters: [], hidden: false,
  routing: { bodyId: EXAMPLE_ID, bodyName: '渝中区城管局', kind: 'body', compoundId: null, why: example.route.why },
  updates: [{ at: EXAMPLE_TIME, status: 'submitted', statusName: '已提交', by: EXAMPLE_ID, byRole: 'rider', note: null }],
};
const staffOne = () => ({ description: '上报（工作人员视图，含上报人与分派）', schema: dataOf(staffSchema), example: { data: staffExample } });
const category = z.object({
  code: z.string(), name: z.string(), description: z.string(), class: z.enum(HAZARD_CLASSES), bodyType: z.enum(BODY_TYPES), keywords: z.array(z.string()),
  hours: z.object({ submitted: z.number(), triaged: z.number(), in_progress: z.number() }),
});
const photoParams = z.object({ id: objectId, n: z.string().regex(/^[1-3]$/) });
const jpeg = { description: 'JPEG（已去除 EXIF 与位置信息）', contentType: 'image/jpeg', schema: { type: 'string', format: 'binary' } };

/** The declarations of the hazard routes, on the schemas their handlers validate with. */
export function hazardDocs(s: Record<'create' | 'nearby' | 'status' | 'duplicate' | 'feedback' | 'queue' | 'stats' | 'coordSys' | 'page', z.ZodType>) {
  return {
    categories: {
      method: 'get', path: '/hazard-categories', tags, access: 'public', summary: '隐患类别（三事分流的默认分类与责任类型）',
      responses: { 200: { description: '全部类别', schema: dataOf(z.array(category)) } },
    },
    create: {
      method: 'post', path: '/hazards', tags, access: ['rider'], summary: '随手拍：上报隐患',
      description: 'JSON，或 multipart/form-data（字段 category、description、lng、lat、coordSys、address，文件字段 photos 可重复，最多 3 张，每张不超过 5 MB，JPEG/PNG/WebP）。照片重新编码，去除 EXIF 和 GPS。位置须在重庆市或成都市。提交前先用 /hazards/nearby 查附近同类上报，可改为支持。',
      query: s.coordSys,
      body: { content: {
        'application/json': { schema: s.create, example: { category: 'manhole', description: '井盖破裂，电动车差点掉进去', lng: 106.5816, lat: 29.5568, address: '民族路 188 号门口' } },
        'multipart/form-data': { schema: { type: 'object', properties: { category: { type: 'string' }, description: { type: 'string' }, lng: { type: 'number' }, lat: { type: 'number' }, coordSys: { type: 'string' }, address: { type: 'string' }, photos: { type: 'array', items: { type: 'string', format: 'binary' }, maxItems: 3 } }, required: ['category', 'description', 'lng', 'lat'] } },
      } },
      errors: [413, 415, 422, 429], responses: { 201: { ...one('已上报'), headers: { Location: '上报的地址' } } },
    },
    nearby: {
      method: 'get', path: '/hazards/nearby', tags, access: 'public', summary: '附近 50 米内 7 天内未办结的同类上报', query: s.nearby, errors: [422],
      responses: { 200: { description: '由近到远；有则建议支持而不是重复上报', schema: dataOf(z.array(hazardSchema)), example: { data: [{ ...example, distanceM: 25 }] } } },
    },
    get: { method: 'get', path: '/hazards/:id', tags, access: 'public', summary: '上报详情（不含上报人身份）', params: idParams, query: s.coordSys, responses: { 200: one() } },
    photo: { method: 'get', path: '/hazards/:id/photos/:n', tags, access: 'public', summary: '照片', params: photoParams, responses: { 200: jpeg } },
    thumb: { method: 'get', path: '/hazards/:id/photos/:n/thumb', tags, access: 'public', summary: '照片缩略图（320 px）', params: photoParams, responses: { 200: jpeg } },
    mine: {
      method: 'get', path: '/me/hazards', tags, access: ['rider'], summary: '我上报和关注的隐患', query: s.page,
      responses: { 200: { description: '按时间先后', schema: z.object({ data: z.array(hazardSchema), meta: z.object({ next: z.string().nullable() }) }) } },
    },
    support: {
      method: 'post', path: '/hazards/:id/support', tags, access: ['rider'], summary: '我也遇到了（支持并关注）', params: idParams, query: s.coordSys,
      description: '每位骑手只计一次；支持者会收到后续进展。', errors: [409], responses: { 200: one('已支持') },
    },
    feedback: {
      method: 'post', path: '/hazards/:id/feedback', tags, access: ['rider'], summary: '上报人反馈：修好了 / 没修好', params: idParams, query: s.coordSys,
      description: '仅在已解决后；没修好会重新打开（处理中）。', body: s.feedback, bodyExample: { fixed: false, note: '井盖还是松的' }, errors: [409, 422], responses: { 200: one() },
    },
    status: {
      method: 'post', path: '/hazards/:id/status', tags, access: ['city_admin', 'property_manager', 'body_staff'], summary: '更改状态（分派、处理中、已解决、不受理）',
      description: '城市管理员，或分派到的物业/责任单位。不受理须写原因。每次更改都通知上报人和关注者。', params: idParams, query: s.coordSys,
      body: s.status, bodyExample: { status: 'in_progress', note: '已通知维修班组，今晚处理' }, errors: [409, 422], responses: { 200: staffOne() },
    },
    duplicate: {
      method: 'post', path: '/hazards/:id/duplicate', tags, access: ['city_admin', 'property_manager', 'body_staff'], summary: '标记为重复（上报人和关注者改为关注原上报）',
      params: idParams, query: s.coordSys, body: s.duplicate, bodyExample: { originalId: '6650a1b2c3d4e5f601234568' }, errors: [409, 422],
      responses: { 200: { description: '重复上报与原上报', schema: dataOf(z.object({ report: staffSchema, original: staffSchema })) } },
    },
    reveal: {
      method: 'post', path: '/hazards/:id/reveal', tags, access: ['city_admin', 'property_manager', 'body_staff'], summary: '审核后公开（内容安全检查为 review 的上报）',
      params: idParams, query: s.coordSys, responses: { 200: staffOne() },
    },
    queue: {
      method: 'get', path: '/hazards', tags, access: ['city_admin', 'property_manager', 'body_staff'], summary: '工作队列',
      description: '城市管理员看本市全部；物业看分派到自己小区的；责任单位工作人员看分派到本单位的。可按状态、类别、区县、三事分类和 overdue 筛选。', query: s.queue, errors: [422],
      responses: { 200: { description: '按时间先后', schema: z.object({ data: z.array(staffSchema), meta: z.object({ next: z.string().nullable() }) }) } },
    },
    stats: {
      method: 'get', path: '/hazards/stats', tags, access: ['city_admin'], summary: '统计（JSON 或 CSV）', query: s.stats, errors: [422],
      description: '按类别、区县、三事分类的数量，分派与解决用时中位数（小时）。format=csv 下载表格（已防公式注入）。',
      responses: { 200: { description: '统计', schema: dataOf(z.object({
        total: z.number().int(), byCategory: z.record(z.string(), z.number().int()), byDistrict: z.record(z.string(), z.number().int()),
        byClass: z.record(z.string(), z.number().int()), byStatus: z.record(z.string(), z.number().int()),
        medianHoursToTriage: z.number().nullable(), medianHoursToResolve: z.number().nullable(),
      })) } },
    },
    points: {
      method: 'get', path: '/me/points', tags, access: ['rider'], summary: '我的积分（有效上报与支持）', query: s.page,
      responses: { 200: { description: '总分与明细', schema: z.object({
        data: z.object({ total: z.number().int(), entries: z.array(z.object({ reportId: objectId, reason: z.enum(['report', 'support', 'reversal']), points: z.number().int(), at: isoTime })) }),
        meta: z.object({ next: z.string().nullable() }),
      }) } },
    },
  } satisfies Record<string, RouteDoc>;
}
