import type { Layer, Router } from '@koa/router';
import { z } from 'zod';
import { ERROR_DOCS, errorBodySchema, errorExample } from './errors';
import { docOf, rolesOf, type JsonSchema, type MediaDoc, type ResponseDoc, type RouteDoc } from './route';

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: Record<string, unknown>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};
export type Operation = Record<string, unknown> & { responses: Record<string, unknown> };

const TAGS: Record<string, string> = {
  stations: '暖新驿站：附近查找、详情、座位与开闭状态上报、管理员增删改',
  merchants: '暖新商户：附近骑手优惠、详情、商户改营业时间与优惠、管理员增删改',
  import: '批量导入驿站和商户（CSV / GeoJSON）',
  auth: '登录、刷新、退出、接受邀请、开发登录',
  me: '当前账号：资料、手机号、微信和机器人绑定',
  admin: '城市管理员：邀请、员工、骑手、审计日志',
  bot: '微信机器人进程（X-Bot-Token）',
  outbox: '通知发件箱（X-Bot-Token）：审批、拒绝、撤销、即将到期等事件，消费方领取、确认、退回，每个消费方至少收到一次',
  'hazard-bodies': '责任单位（三事分流）：市级管理员登记各区县负责各类隐患的单位并试算分派，责任单位工作人员查看自己的单位',
  platforms: '配送平台：城市管理员登记平台密钥，平台服务器签名上报骑手从业情况，骑手查看自己的认证等级',
  gbfs: 'GBFS 2.3 形式的驿站实时数据',
  open311: 'Open311 GeoReport v2：随手拍上报的标准接口（/open311/v2，仅 JSON，错误为 [{code, description}]），及城市管理员发放的接入密钥',
  health: '存活、就绪、Prometheus 指标',
  docs: '本文档',
};

const ROLE_NAMES: Record<string, string> = {
  rider: '骑手', city_admin: '城市管理员', station_operator: '驿站运营方', merchant_owner: '商户', property_manager: '物业', gate_guard: '门岗', body_staff: '责任单位工作人员',
};

const DESCRIPTION = [
  '川渝暖新骑手服务（重庆、成都）。所有错误都是同一形状 `{ "error": { "status", "code", "message", "details" } }`，message 为中文。',
  '授权先于校验：无权写入的调用方先听到 401/403。路径不支持的方法答 405（带 Allow），OPTIONS 答 204；本服务不实现的方法答 501。',
  '开发环境可用 `POST /api/v1/auth/dev {"role","city"}` 取得任一角色的令牌。',
].join('\n\n');

/** A zod schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses), requests as they arrive (io: input). */
export function jsonSchemaOf(schema: z.ZodType | JsonSchema, io: 'input' | 'output'): JsonSchema {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _dialect, ...out } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  // $defs refs would point at the document root once embedded; every schema here must inline.
  if ('$defs' in out) throw new Error('schema with $defs cannot be embedded in the OpenAPI document');
  return out;
}

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** Every error status a route can answer: its own plus those its access, method and parameters imply. */
export function errorStatuses(doc: RouteDoc, pathParams: readonly string[]): number[] {
  const s = new Set<number>([400, ...(doc.errors ?? [])]); // 400: any URL Node's parser refuses, repeated query keys
  if (doc.access === 'apiKey') s.add(403); // mounted before authentication: a missing or wrong key is the only refusal
  else if (doc.access !== 'none') {
    s.add(401).add(403); // a sent token is always checked: bad 401, suspended account 403
    if (WRITES.has(doc.method)) s.add(429);
    if (['post', 'put', 'patch'].includes(doc.method)) s.add(413).add(415);
  }
  if (pathParams.length) s.add(404);
  return [...s].sort((a, b) => a - b);
}

function security(doc: RouteDoc): Record<string, unknown> {
  if (doc.access === 'none') return { security: [] };
  if (doc.access === 'public') return { security: [{}, { bearerAuth: [] }] };
  if (doc.access === 'bot') return { security: [{ botToken: [] }] };
  if (doc.access === 'signed') return { security: [{ requestSignature: [] }], 'x-roles': [] }; // no user role may call it
  if (doc.access === 'apiKey') return { security: [{ apiKey: [] }], 'x-roles': [] };
  const roles = rolesOf(doc.access) ?? [];
  return { security: [{ bearerAuth: [] }], 'x-roles': roles };
}

function accessText(doc: RouteDoc): string {
  if (doc.access === 'none' || doc.access === 'public') return '公开';
  if (doc.access === 'bot') return '机器人进程（X-Bot-Token）';
  if (doc.access === 'signed') return '合作方服务器，凭请求签名（X-Platform-Key、X-Timestamp、X-Nonce、X-Signature），不用登录令牌';
  if (doc.access === 'apiKey') return '接入方服务器，凭城市管理员发放的 API 密钥（api_key），不用登录令牌';
  return (rolesOf(doc.access) ?? []).map((r) => ROLE_NAMES[r] ?? r).join('、');
}

function parameters(doc: RouteDoc, pathParams: readonly string[]): unknown[] {
  const shape = doc.params ? (jsonSchemaOf(doc.params, 'input').properties as Record<string, JsonSchema>) : {};
  const out: unknown[] = pathParams.map((name) => ({ name, in: 'path', required: true, schema: shape[name] ?? { type: 'string' } }));
  if (doc.query) {
    const q = jsonSchemaOf(doc.query, 'input');
    if (q.type !== 'object') throw new Error(`${doc.method} ${doc.path}: the query schema must be an object`);
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((q.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description, ...rest } = schema;
      out.push({ name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  return out;
}

function media(m: MediaDoc, io: 'input' | 'output'): Record<string, unknown> {
  return { schema: jsonSchemaOf(m.schema, io), ...(m.example !== undefined ? { example: m.example } : {}) };
}

function requestBody(doc: RouteDoc): Record<string, unknown> | undefined {
  if (!doc.body) return undefined;
  if (doc.body instanceof z.ZodType) {
    return { required: true, content: { 'application/json': media({ schema: doc.body, example: doc.bodyExample }, 'input') } };
  }
  const content = Object.fromEntries(Object.entries(doc.body.content).map(([type, m]) => [type, media(m, 'input')]));
  return { required: doc.body.required ?? true, content };
}

function successResponse(r: ResponseDoc, schemas: Record<string, unknown>): Record<string, unknown> {
  const headers = r.headers && Object.fromEntries(Object.entries(r.headers).map(([h, description]) => [h, { description, schema: { type: 'string' } }]));
  const base = { description: r.description, ...(headers ? { headers } : {}) };
  if (!r.schema) return base;
  let schema = jsonSchemaOf(r.schema, 'output');
  if (r.name) {
    const known = schemas[r.name];
    if (known && JSON.stringify(known) !== JSON.stringify(schema)) throw new Error(`two different schemas named ${r.name}`);
    schemas[r.name] = schema;
    schema = { $ref: `#/components/schemas/${r.name}` };
  }
  return { ...base, content: { [r.contentType ?? 'application/json']: { schema, ...(r.example !== undefined ? { example: r.example } : {}) } } };
}

/** The shared error response of a status, or the route's own error shape (Open311's) when it names one. */
function errorResponse(doc: RouteDoc, status: number, schemas: Record<string, unknown>): Record<string, unknown> {
  if (!doc.errorBody) return { $ref: `#/components/responses/${ERROR_DOCS[status]?.name}` };
  const { name, schema, response } = doc.errorBody;
  return successResponse({ ...response(status), schema, name }, schemas);
}

/** Koa's '/api/v1/stations/:id' as OpenAPI's '/api/v1/stations/{id}'. */
export const openApiPath = (koaPath: string): string => koaPath.replace(/:(\w+)/g, '{$1}');

const operationId = (method: string, path: string): string =>
  method + path.replace(/^\/api\/v1/, '').split(/[/._-]/).filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? `By${seg[1]?.toUpperCase()}${seg.slice(2)}` : `${seg[0]?.toUpperCase()}${seg.slice(1)}`)).join('');

function operation(doc: RouteDoc, layer: Layer, schemas: Record<string, unknown>): Operation {
  const pathParams = layer.paramNames.map((p) => String(p.name));
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(doc.responses)) responses[status] = successResponse(r, schemas);
  for (const status of errorStatuses(doc, pathParams)) responses[String(status)] = errorResponse(doc, status, schemas);
  const body = requestBody(doc);
  return {
    operationId: operationId(doc.method, String(layer.path)),
    summary: doc.summary,
    description: [doc.description, `权限：${accessText(doc)}`].filter(Boolean).join('\n\n'),
    tags: [...doc.tags],
    ...security(doc),
    parameters: parameters(doc, pathParams),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

function components(schemas: Record<string, unknown>): OpenApiDocument['components'] {
  const responses = Object.fromEntries(Object.entries(ERROR_DOCS).map(([status, d]) => [d.name, {
    description: d.description,
    ...(d.headers ? { headers: Object.fromEntries(Object.keys(d.headers).map((h) => [h, { schema: { type: 'string' } }])) } : {}),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: errorExample(Number(status)) } },
  }]));
  return {
    schemas: { Error: jsonSchemaOf(errorBodySchema, 'output'), ...schemas },
    responses,
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: '登录接口返回的 accessToken（15 分钟有效，用 refreshToken 续期）' },
      botToken: { type: 'apiKey', in: 'header', name: 'X-Bot-Token', description: '机器人进程与服务共享的密钥（BOT_TOKEN）' },
      apiKey: {
        type: 'apiKey', in: 'query', name: 'api_key',
        description: '城市管理员发放给接入方的密钥（POST /api/v1/open311-keys，只显示一次）；Open311 的 api_key，放在表单请求体或查询串中',
      },
      requestSignature: {
        type: 'apiKey', in: 'header', name: 'X-Signature',
        description: 'HMAC-SHA256 请求签名（十六进制）：X-Platform-Key 指明平台密钥，签名覆盖 `${X-Timestamp}\\n${X-Nonce}\\n${原始请求体}`',
      },
    },
  };
}

/**
 * The OpenAPI 3.1 document of exactly the routes these routers hold: each layer registered through route() becomes
 * an operation (HEAD, which koa-router adds to every GET, is left implicit). Layers without documentation are left
 * out; the route-coverage test names them.
 */
export function buildOpenApiDocument(routers: readonly Router[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const schemas: Record<string, unknown> = {};
  const tags = new Set<string>();
  for (const layer of routers.flatMap((r) => r.stack)) {
    const doc = docOf(layer);
    if (!doc) continue;
    const path = openApiPath(String(layer.path));
    const item = (paths[path] ??= {});
    if (item[doc.method]) throw new Error(`${doc.method.toUpperCase()} ${path} is declared twice`);
    item[doc.method] = operation(doc, layer, schemas);
    for (const t of doc.tags) tags.add(t);
  }
  return {
    openapi: '3.1.0',
    info: { title: '川渝暖新骑手服务 API', version: '1', description: DESCRIPTION, license: { name: 'MIT', identifier: 'MIT' } },
    tags: [...tags].map((name) => ({ name, description: TAGS[name] ?? name })),
    paths,
    components: components(schemas),
  };
}
