import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf } from '../../shared/openapi/schemas';
import type { ColumnSpec } from './columns';

const rowRef = { line: z.number().int().min(1).optional(), feature: z.number().int().min(0).optional() };
const rejection = z.object({
  ...rowRef,
  externalId: z.string().nullable(),
  reason: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** The report an import answers (src/modules/import/import.types.ts ImportReport). */
export const importReportSchema = z.object({
  kind: z.string(),
  dryRun: z.boolean(),
  total: z.number().int().min(0),
  accepted: z.number().int().min(0),
  inserted: z.number().int().min(0),
  updated: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  rejected: z.array(rejection),
  ignoredColumns: z.array(z.string()),
});

/** A GeoJSON FeatureCollection of Points; properties are named like the CSV columns. */
const featureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'),
    geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
    properties: z.record(z.string(), z.unknown()),
  })).min(1),
});

const NOUN: Record<string, string> = { stations: '驿站', merchants: '商户' };

const columnsText = (c: ColumnSpec): string => Object.entries(c.aliases)
  .map(([field, names]) => `${c.required.includes(field) ? '**' : ''}${field}${c.required.includes(field) ? '**' : ''}（${names.join('、')}）`).join('；');

/** POST /api/v1/admin/import/<kind>: CSV or GeoJSON, validated row by row (the handler parses the upload itself). */
export function importDoc(kind: string, columns: ColumnSpec, query: z.ZodType): RouteDoc {
  const noun = NOUN[kind] ?? kind;
  const feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [106.5313, 29.5758] }, properties: { 外部编号: 'CQ-JB-001', 名称: `观音桥暖新${noun}`, 城市: 'chongqing' } };
  return {
    method: 'post', path: `/${kind}`, tags: ['import'], access: ['city_admin'], summary: `批量导入${noun}（CSV / GeoJSON）`,
    description: [
      `按外部编号新增或更新本市的${noun}；坏行只拒绝它自己，同一文件导入两次不改变任何数据。dryRun=true 只校验不写入。`,
      'CSV 须为 UTF-8（Excel 另存为「CSV UTF-8」），表头可用中文或英文；以 = + - @ 开头的文本单元格会被拒绝（CSV 注入）。',
      `列（粗体必填）：${columnsText(columns)}。`,
    ].join('\n\n'),
    query,
    body: { content: {
      'text/csv': { schema: { type: 'string' }, example: `外部编号,名称,城市,区县,地址,经度,纬度\nCQ-JB-001,观音桥暖新${noun},chongqing,江北区,观音桥步行街1号,106.5313,29.5758\n` },
      'application/geo+json': { schema: featureCollection, example: { type: 'FeatureCollection', features: [feature] } },
      'application/json': { schema: featureCollection, example: { type: 'FeatureCollection', features: [feature] } },
    } },
    errors: [422],
    responses: { 200: {
      description: '导入报告：新增、更新、未变和被拒绝的行（附行号与原因）',
      schema: dataOf(importReportSchema),
      example: { data: { kind, dryRun: false, total: 2, accepted: 1, inserted: 1, updated: 0, unchanged: 0, ignoredColumns: [],
        rejected: [{ line: 3, externalId: 'CQ-JB-002', reason: '坐标不在重庆范围内', fields: [{ field: 'lng', message: '坐标不在重庆范围内' }] }] } },
    } },
  };
}
