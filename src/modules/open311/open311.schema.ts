import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import { optionalText, text } from '../../shared/schema';
import { queryInt, queryList, queryNumber } from '../../shared/validate';
import { CATEGORY_CODES } from '../hazards/categories';

/** The one format served; the specification's XML is not (a .xml request is a 400 naming this). */
export const FORMATS = ['json'] as const;

const jurisdiction = z.enum(CITIES, { message: `可选：${CITIES.join(', ')}` })
  .meta({ description: '辖区：chongqing（重庆）或 chengdu（成都）。本接口服务两个辖区，所以必填（缺少答 400，未知答 404）' });
/** Some clients send their key on every call; reads ignore it. */
const ignoredKey = z.string().optional().meta({ description: '读取接口不需要，传了也不检查' });
// A '+' of the offset sent unencoded arrives as a space (form encoding): read it back as '+'.
const w3Time = z.string().transform((v) => v.replace(/ (\d{2}:?\d{2})$/, '+$1'))
  .pipe(z.iso.datetime({ offset: true, error: '须为带时区的 W3C 时间，如 2026-11-01T00:00:00+08:00（URL 中 + 写作 %2B）或 2026-11-01T00:00:00Z' }))
  .transform((v) => new Date(v));
const serviceCode = z.enum(CATEGORY_CODES, { message: `没有这个 service_code，可选：${CATEGORY_CODES.join(', ')}` });
const coordinate = (min: number, max: number) => queryNumber().pipe(z.number().min(min, `不能小于 ${min}`).max(max, `不能大于 ${max}`));
/** Fields the specification lets a client send about the person; accepted, checked for size, never stored. */
const personal = (max: number) => z.string().max(max, `不能超过 ${max} 个字符`).optional().meta({ description: '不保存' });

/**
 * As many ids as one request line carries: Node refuses headers (the request line included) over 16 KiB with 431,
 * and an id is 24 characters plus an encoded comma (%2C). 1,000 did not fit.
 */
export const MAX_IDS = 500;

/** Query strings of the reads (jurisdiction_id is checked first, for its 400 and 404). */
export const jurisdictionQuery = z.strictObject({ jurisdiction_id: jurisdiction, api_key: ignoredKey });

export const requestsQuery = z.strictObject({
  jurisdiction_id: jurisdiction,
  api_key: ignoredKey,
  service_request_id: z.string()
    .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))])
    .refine((ids) => ids.length <= MAX_IDS, `最多 ${MAX_IDS} 个`)
    .optional().meta({ description: `逗号分隔，最多 ${MAX_IDS} 个；给出时忽略其余条件` }),
  service_code: queryList(CATEGORY_CODES).optional(),
  start_date: w3Time.optional().meta({ description: '上报时间不早于此（含）；与 end_date 相隔不得超过 90 天' }),
  end_date: w3Time.optional().meta({ description: '上报时间不晚于此（含）；都不给时为最近 90 天' }),
  status: queryList(['open', 'closed'] as const).optional(),
});
export type RequestsQuery = z.output<typeof requestsQuery>;

/** The form of POST requests.json, as the specification lists it (attribute[...] fields are set aside first). */
export const postForm = z.strictObject({
  api_key: z.string().meta({ description: '城市管理员发放的密钥（缺少或无效答 403）' }),
  jurisdiction_id: jurisdiction,
  service_code: serviceCode,
  lat: coordinate(-90, 90).optional().meta({ description: 'WGS-84 纬度；与 long 一起给出（本服务必须有坐标）' }),
  long: coordinate(-180, 180).optional().meta({ description: 'WGS-84 经度' }),
  address_string: optionalText(200).optional().meta({ description: '地址描述，作为上报的地址保存；单独给出不能定位（答 400）' }),
  address_id: text(100).optional().meta({ description: '本服务没有地址库：单独给出答 400，与坐标一起给出时忽略' }),
  email: personal(254),
  device_id: personal(200),
  account_id: personal(200),
  first_name: personal(100),
  last_name: personal(100),
  phone: personal(50),
  description: optionalText(1000, { multiline: true }).optional().meta({ description: '最多 1000 字（规范允许 4000）；不解析 HTML，按纯文本保存' }),
  media_url: z.string().max(2000).regex(/^https?:\/\/\S+$/, '须为 http(s) 地址').optional().meta({ description: '不下载、不保存：照片请经 /api/v1/hazards 上传' }),
});
export type PostForm = z.output<typeof postForm>;

/** Path parameters as the document shows them (handlers read ctx.params). */
export const formatParams = z.object({ format: z.enum(FORMATS).meta({ description: '只提供 json' }) });
export const serviceParams = formatParams.extend({ service_code: serviceCode });
export const requestParams = formatParams.extend({ service_request_id: z.string().regex(/^[0-9a-f]{24}$/) });
export const tokenParams = formatParams.extend({ token: z.string().regex(/^[0-9a-f]{24}$/).meta({ description: '本服务不发放 token；上报的 service_request_id 即可当作 token' }) });

/** Administrators' key routes. */
export const keyBody = z.strictObject({ name: text(50).meta({ description: '接入方名称，如「重庆市12345热线」' }) });
export const keyPage = z.strictObject({
  limit: queryInt(1, 200).default(50),
  after: z.string().regex(/^[0-9a-f]{24}$/, '不是有效的 id').optional(),
});
