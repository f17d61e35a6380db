import type { Context } from 'koa';
import type { z } from 'zod';
import { CITIES, type City } from '../../shared/domain';
import { NotFoundError, ValidationError } from '../../shared/errors';
import type { LngLat } from '../../shared/geo';
import { validate } from '../../shared/validate';
import { fieldsOf, parsePairs } from './form';
import type { PostForm } from './open311.schema';

/** A 400 about one field, its message the whole sentence. */
export const refuse = (field: string, message: string) => new ValidationError(message, [{ field, message }]);
/** User input echoed in a message, cut short. */
export const clip = (v: string) => v.slice(0, 50);

/** The format the path ends with: only json is served (400 names it, for .xml especially). */
export function mustBeJson(c: Context): void {
  const format = String(c.params.format);
  if (format === 'json') return;
  throw refuse('format', format === 'xml' ? '本服务只提供 JSON：请把 .xml 换成 .json' : `不支持的格式 .${clip(format)}：本服务只提供 .json`);
}

/** jurisdiction_id picks the city: required (two are served), 400 when missing, 404 when unknown. */
export function jurisdictionOf(fields: Record<string, string>): City {
  const v = fields.jurisdiction_id;
  if (v === undefined) throw refuse('jurisdiction_id', '缺少 jurisdiction_id：本接口服务两个辖区，须指明 chongqing（重庆）或 chengdu（成都）');
  if (!(CITIES as readonly string[]).includes(v)) throw new NotFoundError(`没有这个辖区：${clip(v)}；可选 chongqing（重庆）、chengdu（成都）`);
  return v as City;
}

/** A read's query: format, then jurisdiction, then the rest against its schema. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): { city: City; q: z.output<S> } {
  mustBeJson(c);
  const fields = fieldsOf(parsePairs(c.querystring));
  const city = jurisdictionOf(fields);
  return { city, q: validate(schema, fields) };
}

/** The point of a POST: lat and long together (WGS-84); an address alone cannot be placed on the map here. */
export function pointOf(f: PostForm): LngLat {
  if (f.lat !== undefined && f.long !== undefined) return { lng: f.long, lat: f.lat };
  if (f.lat !== undefined || f.long !== undefined) throw refuse(f.lat === undefined ? 'lat' : 'long', 'lat 和 long 须同时给出');
  if (f.address_string || f.address_id) throw refuse('lat', '本服务需要坐标：请给出 lat 和 long（WGS-84）；暂不能按 address_string 或 address_id 定位');
  throw refuse('lat', '缺少位置：请给出 lat 和 long（WGS-84）');
}
