import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, EXAMPLE_TIME, idParams, isoTime, objectId } from '../../shared/openapi/schemas';
import { BODY_TYPES } from '../hazards/categories';
import { CONTACT_CHANNELS } from './bodies.types';

const tags = ['hazard-bodies'];
const admin = ['city_admin'] as const;

/** The answer of the body routes (src/modules/bodies/bodies.view.ts). */
export const bodyViewSchema = z.object({
  id: objectId,
  city: z.enum(CITIES),
  name: z.string(),
  type: z.enum(BODY_TYPES),
  districts: z.array(z.string()).meta({ description: '负责的区县（全称）；空表示全市' }),
  categories: z.array(z.string()).meta({ description: '负责的隐患类别代码；空表示本类型的全部类别' }),
  contact: z.object({ channel: z.enum(CONTACT_CHANNELS), value: z.string() }),
  active: z.boolean(),
  isDemo: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const routeDecisionSchema = z.object({
  bodyId: objectId.nullable(),
  bodyName: z.string().nullable(),
  kind: z.enum(['body', 'compound', 'unrouted']).meta({ description: 'body：责任单位；compound：该小区物业；unrouted：由市级管理员分派' }),
  compoundId: objectId.nullable(),
  why: z.string().meta({ description: '一句话说明按哪条规则分派' }),
});

const bodyExample = {
  id: EXAMPLE_ID, city: 'chongqing', name: '渝中区城管局', type: '城管', districts: ['渝中区'], categories: ['manhole', 'pothole'],
  contact: { channel: 'email', value: 'yzcg@example.org' }, active: true, isDemo: false, createdAt: EXAMPLE_TIME, updatedAt: EXAMPLE_TIME,
} as const;
const inputExample = { name: '渝中区城管局', type: '城管', districts: ['渝中区'], categories: ['manhole', 'pothole'], contact: { channel: 'email', value: 'yzcg@example.org' } };

const previewExample = {
  district: '渝中区', districtSource: 'estimated',
  route: { bodyId: EXAMPLE_ID, bodyName: '渝中区城管局', kind: 'body', compoundId: null, why: '「井盖缺失或破损」属城管职责，渝中区由 渝中区城管局 负责' },
} as const;

const RULES = [
  '分派规则：类别属物业、且位置在已登记小区 HAZARD_COMPOUND_DISTANCE_M（默认 100 米）以内时，交该小区物业；',
  '否则交本市启用中的、类型与类别相符、负责该类别（或本类型全部类别）且覆盖该区县的责任单位，专管该区县的优先于全市的，',
  '点名该类别的优先于泛管本类型的，再按登记先后；都没有时为 unrouted，由市级管理员分派。',
].join('');

type Schemas = Record<'input' | 'patch' | 'list' | 'preview', z.ZodType>;

/** The declarations of /api/v1/hazard-bodies, on the schemas the handlers validate with. */
export function bodyDocs(s: Schemas): Record<'create' | 'list' | 'preview' | 'get' | 'update' | 'remove', RouteDoc> {
  const one = (description: string) => ({ 200: { description, schema: dataOf(bodyViewSchema), example: { data: bodyExample } } });
  return {
    create: {
      method: 'post', path: '/', tags, access: admin, summary: '登记责任单位',
      description: '在本市登记一个责任单位（城市为管理员所在城市）：类型、负责的区县（空为全市）、类别（须属本类型；空为本类型全部）、联系方式。同名 409。',
      body: s.input, bodyExample: inputExample, errors: [409, 422],
      responses: { 201: { description: '已登记', schema: dataOf(bodyViewSchema), example: { data: bodyExample } } },
    },
    list: {
      method: 'get', path: '/', tags, access: ['city_admin', 'body_staff'], summary: '责任单位列表',
      description: '市级管理员看到本市全部；责任单位工作人员只看到自己所属的单位。按 id 升序，用 after 翻页。', query: s.list,
      responses: { 200: { description: '责任单位', schema: dataOf(z.array(bodyViewSchema)).extend({ meta: z.object({ next: objectId.nullable() }) }), example: { data: [bodyExample], meta: { next: null } } } },
    },
    preview: {
      method: 'get', path: '/preview', tags, access: admin, summary: '试算一条隐患会分派给谁',
      description: `${RULES} 不给 district 时按位置估计区县（districtSource: estimated）。位置须在本市服务范围内。`,
      query: s.preview, errors: [422],
      responses: { 200: {
        description: '分派结果与理由',
        schema: dataOf(z.object({ district: z.string().nullable(), districtSource: z.enum(['given', 'estimated']), route: routeDecisionSchema })),
        example: { data: previewExample },
      } },
    },
    get: { method: 'get', path: '/:id', tags, access: ['city_admin', 'body_staff'], summary: '责任单位详情', description: '其他城市的、或不属于自己的单位答 404。', params: idParams, responses: one('责任单位') },
    update: {
      method: 'patch', path: '/:id', tags, access: admin, summary: '修改责任单位',
      description: '只改给出的字段；改类型或类别时二者须相符。停用（active: false）后不再分派给它。其他城市的单位答 404。',
      params: idParams, body: s.patch, bodyExample: { active: false }, errors: [409, 422], responses: one('修改后的责任单位'),
    },
    remove: {
      method: 'delete', path: '/:id', tags, access: admin, summary: '删除责任单位',
      description: '还有分派给它、尚未办结的上报时 409（先处理或改派，或改为停用）；已办结的上报保留当时的单位名称。其他城市的单位答 404。', params: idParams,
      errors: [409], responses: { 204: { description: '已删除' } },
    },
  };
}
