import { z } from 'zod';
import { dataOf, idParams } from '../../shared/openapi/schemas';
import type { Role, RouteDoc } from '../../shared/openapi/route';

/** What the document says about one located resource (stations, merchants) beyond the schemas it validates with. */
export interface GeoResourceDocs {
  tag: string;
  /** The resource's Chinese name, as users read it: 驿站, 商户. */
  noun: string;
  summarySchema: z.ZodObject;
  viewSchema: z.ZodObject;
  summaryExample: unknown;
  viewExample: unknown;
  inputExample: unknown;
  patchExample: unknown;
  nearbyDescription: string;
  /** Who may PATCH besides city administrators (merchant owners their own shops' offers). */
  updateRoles?: readonly Role[];
  updateDescription?: string;
  /** What DELETE may refuse with 409, when something still depends on the object. */
  deleteConflict?: string;
}

type Op = 'nearby' | 'get' | 'create' | 'update' | 'delete';

/** The declarations of the five routes geoResourceRoutes mounts, on the schemas it validates with. */
export function geoRouteDocs(d: GeoResourceDocs, s: { nearby: z.ZodType; input: z.ZodType; patch: z.ZodType; coordSys: z.ZodType }): Record<Op, RouteDoc> {
  const one = { description: `一个${d.noun}的完整信息（坐标按 coordSys 返回）`, schema: dataOf(d.viewSchema), example: { data: d.viewExample } };
  const tags = [d.tag];
  const nearbyMeta = z.object({
    coordSys: z.enum(['wgs84', 'gcj02', 'bd09']),
    radius: z.number().int(),
    count: z.number().int().min(0),
    place: z.object({ name: z.string(), city: z.enum(['chongqing', 'chengdu']) }).nullable(),
  });
  return {
    nearby: {
      method: 'get', path: '/nearby', tags, access: 'public', summary: `附近的${d.noun}`, description: d.nearbyDescription,
      query: s.nearby, errors: [404, 422],
      responses: { 200: {
        description: '由近到远；未知地名 404（附近似名称），地名在另一城市 422',
        schema: z.object({ data: z.array(d.summarySchema), meta: nearbyMeta }),
        example: { data: [d.summaryExample], meta: { coordSys: 'gcj02', radius: 1000, count: 1, place: null } },
      } },
    },
    get: { method: 'get', path: '/:id', tags, access: 'public', summary: `${d.noun}详情`, params: idParams, query: s.coordSys, responses: { 200: one } },
    create: {
      method: 'post', path: '/', tags, access: ['city_admin'], summary: `新建${d.noun}`,
      description: '授权看请求体所写的城市（未写则为管理员本市），坐标须在该城市范围内。',
      query: s.coordSys, body: s.input, bodyExample: d.inputExample, errors: [409, 422],
      responses: { 201: { ...one, description: '已创建', headers: { Location: '新对象的地址' } } },
    },
    update: {
      method: 'patch', path: '/:id', tags, access: ['city_admin', ...(d.updateRoles ?? [])], summary: `修改${d.noun}`,
      description: d.updateDescription ?? '只改所给字段；改城市时新城市也须是管理员本市。',
      params: idParams, query: s.coordSys, body: s.patch, bodyExample: d.patchExample, errors: [409, 422],
      responses: { 200: one },
    },
    delete: {
      method: 'delete', path: '/:id', tags, access: ['city_admin'], summary: `删除${d.noun}`, params: idParams,
      ...(d.deleteConflict ? { description: d.deleteConflict, errors: [409] as const } : {}),
      responses: { 204: { description: '已删除' } },
    },
  };
}
