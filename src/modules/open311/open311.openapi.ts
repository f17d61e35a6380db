import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import { EXAMPLE_ID, EXAMPLE_TIME, idParams, isoTime, objectId } from '../../shared/openapi/schemas';
import type { ResponseDoc, RouteDoc } from '../../shared/openapi/route';
import { BODY_TYPES } from '../hazards/categories';
import { open311ErrorsSchema } from './open311.errors';
import {
  formatParams, jurisdictionQuery, keyBody, keyPage, postForm, requestParams, requestsQuery, serviceParams, tokenParams,
} from './open311.schema';

const tags = ['open311'];

const ERRORS: Record<number, { description: string; example: string; headers?: Record<string, string> }> = {
  400: { description: '请求有误：缺少 jurisdiction_id、格式不是 json（.xml 不提供）、参数不合法、缺少坐标、位置不在辖区内', example: '缺少 jurisdiction_id：本接口服务两个辖区，须指明 chongqing（重庆）或 chengdu（成都）' },
  403: { description: '缺少 api_key，或 api_key 无效、已吊销、不属于该辖区', example: 'api_key 无效或已吊销，不能提交上报' },
  404: { description: '辖区、service_code、service_request_id 或 token 不存在', example: '没有这个辖区：beijing；可选 chongqing（重庆）、chengdu（成都）' },
  429: { description: '提交过于频繁；Retry-After 头给出等待秒数', example: '请求过于频繁，请稍后再试', headers: { 'Retry-After': '等待秒数' } },
};

/** Open311's error answer for the document: an array of {code, description}, as these routes send it. */
export const open311ErrorBody: NonNullable<RouteDoc['errorBody']> = {
  name: 'Open311Errors',
  schema: open311ErrorsSchema,
  response: (status): Omit<ResponseDoc, 'schema' | 'name'> => {
    const e = ERRORS[status] ?? { description: String(status), example: String(status) };
    return { description: e.description, example: [{ code: status, description: e.example }], headers: e.headers };
  },
};

const service = z.object({
  service_code: z.string(), service_name: z.string(), description: z.string(), metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']), keywords: z.string(), group: z.enum(BODY_TYPES),
});
const request = z.object({
  service_request_id: objectId, status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable().meta({ description: '不受理的原因、重复的原上报，或最近一次处理说明' }),
  service_name: z.string(), service_code: z.string(), description: z.string(),
  agency_responsible: z.string().nullable().meta({ description: '分派到的责任单位；未分派时为 null' }),
  service_notice: z.string().nullable().meta({ description: '分派的理由' }),
  requested_datetime: isoTime, updated_datetime: isoTime.meta({ description: '已关闭的为关闭时间' }),
  expected_datetime: isoTime.nullable().meta({ description: '按类别各状态的时限推算；已关闭为 null' }),
  address: z.string().nullable(), address_id: z.null(), zipcode: z.null(), lat: z.number(), long: z.number(),
  media_url: z.string().nullable().meta({ description: '第一张照片的绝对地址；没有照片为 null' }),
});
const serviceExample = {
  service_code: 'manhole', service_name: '井盖缺失或破损', description: '井盖丢失、破裂、下沉或松动，行人和车辆有坠落危险',
  metadata: false, type: 'realtime', keywords: '井盖,窨井,下水道口,掉坑,井口', group: '城管',
};
const requestExample = {
  service_request_id: EXAMPLE_ID, status: 'open', status_notes: '已派渝中区城管', service_name: '井盖缺失或破损', service_code: 'manhole',
  description: '解放碑步行街东口井盖破裂，电动车差点掉进去', agency_responsible: '渝中区城管局', service_notice: '「井盖缺失或破损」属城管职责，渝中区由 渝中区城管局 负责',
  requested_datetime: EXAMPLE_TIME, updated_datetime: EXAMPLE_TIME, expected_datetime: '2026-11-27T10:00:00.000Z', address: '民族路 188 号门口',
  address_id: null, zipcode: null, lat: 29.5594, long: 106.5775, media_url: `https://nuanxin.example.gov.cn/api/v1/hazards/${EXAMPLE_ID}/photos/1`,
};
const postExample = {
  api_key: 'o311_q3Yk2v9XbP0sLr7mWc4tZ8nHf1uJd6eAa5GiKoRyTxE', jurisdiction_id: 'chongqing', service_code: 'manhole',
  lat: '29.5594', long: '106.5775', address_string: '民族路 188 号门口', description: '井盖破裂，电动车差点掉进去',
};
const common = { tags, errorBody: open311ErrorBody } as const;
const JSON_ONLY = '只提供 JSON（路径以 .json 结尾）；.xml 答 400。';

/** The declarations of the GeoReport v2 routes, on the schemas their handlers validate with. */
export const georeportDocs: Record<'services' | 'definition' | 'create' | 'requests' | 'request' | 'token', RouteDoc> = {
  services: {
    ...common, method: 'get', path: '/services.:format', access: 'none', summary: 'GET Service List：可上报的类别', params: formatParams, query: jurisdictionQuery,
    description: `${JSON_ONLY}每个类别一项；都没有额外属性（metadata 为 false），提交后立即给出 service_request_id（type 为 realtime）。group 是负责的部门类型。`,
    errors: [404], responses: { 200: { description: '类别列表', schema: z.array(service), example: [serviceExample] } },
  },
  definition: {
    ...common, method: 'get', path: '/services/:service_code.:format', access: 'none', summary: 'GET Service Definition：类别的附加属性（均为空）',
    params: serviceParams, query: jurisdictionQuery, description: `${JSON_ONLY}规范的 service_definition 形状；本服务的类别没有附加属性，attributes 为空数组。`,
    responses: { 200: {
      description: '类别定义', schema: z.object({ service_code: z.string(), attributes: z.array(z.never()).max(0) }),
      example: { service_code: 'manhole', attributes: [] },
    } },
  },
  create: {
    ...common, method: 'post', path: '/requests.:format', access: 'apiKey', summary: 'POST Service Request：提交上报', params: formatParams,
    description: [
      `${JSON_ONLY}application/x-www-form-urlencoded 表单（字段也可放在查询串里，重复给出答 400）。需要坐标 lat/long（WGS-84），并须在 jurisdiction_id 的辖区内；`,
      '只给 address_string 或 address_id 答 400（本服务不做地址解析）。上报计在该密钥的服务账号名下，first_name、last_name、email、phone、device_id、account_id、media_url 不保存；',
      'attribute[...] 字段忽略（没有类别有附加属性）。立即给出 service_request_id，从不给 token。',
    ].join(''),
    body: { content: { 'application/x-www-form-urlencoded': { schema: postForm, example: postExample } } },
    errors: [403, 404, 429],
    responses: { 201: {
      description: '已上报', headers: { Location: '该上报的 GET Service Request 地址' },
      schema: z.array(z.object({ service_request_id: objectId, service_notice: z.string().nullable(), account_id: z.null() })),
      example: [{ service_request_id: EXAMPLE_ID, service_notice: requestExample.service_notice, account_id: null }],
    } },
  },
  requests: {
    ...common, method: 'get', path: '/requests.:format', access: 'none', summary: 'GET Service Requests：查询上报', params: formatParams, query: requestsQuery,
    description: `${JSON_ONLY}按上报时间由新到旧，最多 1000 条；不给日期时为最近 90 天。给出 service_request_id 时忽略其余条件。待审核（隐藏）的上报不列出。`,
    errors: [404], responses: { 200: { description: '上报列表', schema: z.array(request), example: [requestExample] } },
  },
  request: {
    ...common, method: 'get', path: '/requests/:service_request_id.:format', access: 'none', summary: 'GET Service Request：一条上报', params: requestParams,
    query: jurisdictionQuery, description: `${JSON_ONLY}规范的形状：只含一项的数组。其他辖区的上报答 404。`,
    responses: { 200: { description: '该上报', schema: z.array(request).length(1), example: [requestExample] } },
  },
  token: {
    ...common, method: 'get', path: '/tokens/:token.:format', access: 'none', summary: 'GET service_request_id from a token', params: tokenParams,
    query: jurisdictionQuery, description: `${JSON_ONLY}本服务同步创建上报、从不发放 token；为总是经 token 查询的客户端，service_request_id 本身可当作 token。`,
    responses: { 200: {
      description: 'token 对应的上报', schema: z.array(z.object({ service_request_id: objectId, token: z.string() })).length(1),
      example: [{ service_request_id: EXAMPLE_ID, token: EXAMPLE_ID }],
    } },
  },
};

const keySchema = z.object({
  id: objectId, name: z.string(), city: z.enum(CITIES), status: z.enum(['active', 'revoked']), riderId: objectId,
  createdBy: objectId, createdAt: isoTime, revokedAt: isoTime.nullable(),
});
const keyExample = {
  id: EXAMPLE_ID, name: '重庆市12345热线', city: 'chongqing', status: 'active', riderId: EXAMPLE_ID, createdBy: EXAMPLE_ID, createdAt: EXAMPLE_TIME, revokedAt: null,
} as const;
const admin = ['city_admin'] as const;

/** The declarations of the administrators' key routes. */
export const keyDocs: Record<'create' | 'list' | 'revoke', RouteDoc> = {
  create: {
    method: 'post', path: '/', tags, access: admin, summary: '发放 Open311 接入密钥',
    description: '为本市的一个接入方发放 api_key，并为它建一个服务账号（上报计在其名下）；apiKey 只在此时显示一次，服务只保存其哈希。',
    body: keyBody, bodyExample: { name: '重庆市12345热线' }, errors: [422],
    responses: { 201: {
      description: '已发放（apiKey 只显示这一次）', schema: z.object({ data: keySchema.extend({ apiKey: z.string().startsWith('o311_') }) }),
      example: { data: { ...keyExample, apiKey: 'o311_q3Yk2v9XbP0sLr7mWc4tZ8nHf1uJd6eAa5GiKoRyTxE' } },
    } },
  },
  list: {
    method: 'get', path: '/', tags, access: admin, summary: '本市的 Open311 接入密钥（不含密钥本身）', query: keyPage,
    responses: { 200: { description: '按 id 升序，用 after 翻页', schema: z.object({ data: z.array(keySchema) }), example: { data: [keyExample] } } },
  },
  revoke: {
    method: 'post', path: '/:id/revoke', tags, access: admin, summary: '吊销 Open311 接入密钥', params: idParams,
    description: '立即生效：之后用它提交答 403。再次吊销不变；其他城市的密钥答 404。已有的上报保留。',
    responses: { 200: { description: '已吊销的密钥', schema: z.object({ data: keySchema }), example: { data: { ...keyExample, status: 'revoked', revokedAt: EXAMPLE_TIME } } } },
  },
};
