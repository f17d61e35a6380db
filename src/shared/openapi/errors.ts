import { z } from 'zod';

/** The one error shape every refusal has (src/shared/http.ts errorHandler); documents and tests read it from here. */
export const errorBodySchema = z.object({
  error: z.object({
    status: z.number().int().min(400).max(599),
    code: z.string().min(1),
    message: z.string().min(1),
    details: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown())), z.null()]),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;

interface ErrorDoc {
  name: string;
  description: string;
  code: string;
  message: string;
  details: ErrorBody['error']['details'];
  headers?: Record<string, string>;
}

const E = (name: string, description: string, code: string, message: string, details: ErrorDoc['details'], headers?: Record<string, string>): ErrorDoc =>
  ({ name, description, code, message, details, headers });

/** Each error status: its components.responses name, what it means here, and a real example (messages are Chinese). */
export const ERROR_DOCS: Record<number, ErrorDoc> = {
  400: E('BadRequest', '请求有误：参数或请求体不合法、查询参数重复、JSON 无法解析或不是 UTF-8、URL 含未编码的非 ASCII 字符',
    'invalid_request', '参数 lng 有误：必须是数字', [{ field: 'lng', message: '必须是数字' }]),
  401: E('Unauthorized', '未登录、令牌无效或已过期、会话已结束，或服务凭证（X-Bot-Token）不对',
    'unauthorized', '需要登录或凭证无效', null, { 'WWW-Authenticate': 'Bearer' }),
  403: E('Forbidden', '已登录但无权执行：角色不符、不是自己的驿站或商户，或账号已被停用',
    'forbidden', '无权执行此操作', { action: 'station.update', role: 'rider' }),
  404: E('NotFound', '对象不存在（其他城市的员工和骑手记录同样答 404，不泄露其存在）', 'not_found', '未找到', null),
  405: E('MethodNotAllowed', '此路径不支持该请求方法；Allow 头列出可用方法（OPTIONS 答 204 并带 Allow）',
    'method_not_allowed', '此接口不支持 PUT 请求，可用：GET、HEAD、OPTIONS', { method: 'PUT', allow: ['GET', 'HEAD', 'OPTIONS'] }, { Allow: 'GET, HEAD, OPTIONS' }),
  409: E('Conflict', '与已有数据冲突（如用户名、外部编号或微信已被占用）', 'conflict', '数据冲突', null),
  410: E('Gone', '邀请码或绑定码已使用或已过期', 'gone', '邀请码已使用或已过期', { field: 'code' }),
  413: E('PayloadTooLarge', '请求体超过上限', 'payload_too_large', '请求体过大，上限 1048576 字节', { limitBytes: 1048576 }),
  415: E('UnsupportedMediaType', 'Content-Type 不受支持', 'unsupported_media_type', '不支持的 Content-Type，应为 application/json',
    { expected: ['application/json'] }),
  422: E('Unprocessable', '格式正确但内容不成立：字段取值不合规则、坐标不在该城市、所给对象不属于本市等',
    'unprocessable', '参数 capacity 有误：不能小于 0', [{ field: 'capacity', message: '不能小于 0' }]),
  429: E('TooManyRequests', '请求过于频繁，或密码错误次数过多账号暂时锁定；Retry-After 头给出等待秒数',
    'rate_limited', '请求过于频繁，请稍后再试', { retryAfterSeconds: 30 }, { 'Retry-After': '30' }),
  501: E('NotImplemented', '本服务不实现该请求方法（TRACE、PROPFIND 等）', 'not_implemented', '不支持的请求方法 TRACE',
    { method: 'TRACE', implemented: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] }),
  502: E('BadGateway', '微信接口返回了无法处理的错误', 'wechat_error', '微信服务暂时不可用', { errcode: 40013 }),
  503: E('ServiceUnavailable', '微信接口繁忙或不可达（已重试）', 'wechat_unavailable', '微信服务暂时不可用', { reason: 'timeout' }),
};

/** An example error body for a status, as the service sends it. */
export function errorExample(status: number): ErrorBody {
  const d = ERROR_DOCS[status];
  if (!d) throw new Error(`no error documentation for status ${status}`);
  return { error: { status, code: d.code, message: d.message, details: d.details } };
}
