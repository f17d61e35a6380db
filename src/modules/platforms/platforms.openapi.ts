import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, EXAMPLE_TIME, idParams, isoTime, objectId } from '../../shared/openapi/schemas';
import { PLATFORMS } from '../identity/identity.types';
import { attestationBody, keyBody, keyPage } from './platforms.schema';
import { ACCESS_LEVELS } from './platforms.types';

const tags = ['platforms'];
const admin = ['city_admin'] as const;

const keySchema = z.object({
  id: objectId, platform: z.enum(PLATFORMS), city: z.enum(CITIES), status: z.enum(['active', 'revoked']),
  createdBy: objectId, createdAt: isoTime, revokedAt: isoTime.nullable(),
});
const keyExample = { id: EXAMPLE_ID, platform: '美团', city: 'chongqing', status: 'active', createdBy: EXAMPLE_ID, createdAt: EXAMPLE_TIME, revokedAt: null } as const;
const SECRET_EXAMPLE = 'q3Yk2v9XbP0sLr7mWc4tZ8nHf1uJd6eAa5GiKoRyTxE';

const verificationSchema = z.object({
  level: z.enum(ACCESS_LEVELS).meta({ description: 'none：未绑定手机；phone：已绑定手机；platform：配送平台或管理员认证' }),
  platform: z.enum(PLATFORMS).nullable(),
  phoneBound: z.boolean(),
  attestedAt: isoTime.nullable().meta({ description: '平台最近一次证明的观察时间；没有仍有效的证明时为 null' }),
});

const SIGNING = [
  '配送平台的服务器调用，只凭签名认证（不用登录令牌）。请求头：`X-Platform-Key`（密钥 id）、`X-Timestamp`（Unix 秒，与服务器相差不超过 300 秒）、',
  '`X-Nonce`（16-64 位 [A-Za-z0-9_-]，每个请求一个新值，重试也要换）、`X-Signature`（十六进制 HMAC-SHA256，密钥为登记时显示的 secret，',
  '签名内容为 `${X-Timestamp}\\n${X-Nonce}\\n${原始请求体}`，按收到的字节计算）。',
  '拒绝原因见 error.details.reason：missing_header、malformed_header、unknown_key、key_revoked、timestamp_out_of_window、bad_signature（401），',
  'nonce_reused（409），body_not_json、invalid_body（422），rider_not_found（404：没有绑定该手机号的本市骑手）。',
  '骑手按已绑定的手机号匹配；骑手资料里没有平台时记为该密钥的平台，已有别的平台时照样记录（骑手可能同时跑几个平台）。',
].join('');

/** The declarations of the platform routes, on the schemas their handlers validate with. */
export const platformDocs: Record<'createKey' | 'listKeys' | 'revokeKey' | 'attest' | 'verification', RouteDoc> = {
  createKey: {
    method: 'post', path: '/', tags, access: admin, summary: '登记配送平台密钥',
    description: '为本市登记一个平台的签名密钥；secret 只在此时显示一次，服务只保存其加密形式。', body: keyBody,
    bodyExample: { platform: '美团' }, errors: [422],
    responses: { 201: {
      description: '密钥已登记（secret 只显示这一次）',
      schema: dataOf(keySchema.pick({ id: true, platform: true, city: true, createdAt: true }).extend({ secret: z.string().min(43) })),
      example: { data: { id: EXAMPLE_ID, platform: '美团', city: 'chongqing', secret: SECRET_EXAMPLE, createdAt: EXAMPLE_TIME } },
    } },
  },
  listKeys: {
    method: 'get', path: '/', tags, access: admin, summary: '本市的平台密钥（不含 secret）', query: keyPage,
    responses: { 200: { description: '按 id 升序，用 after 翻页', schema: dataOf(z.array(keySchema)), example: { data: [keyExample] } } },
  },
  revokeKey: {
    method: 'post', path: '/:id/revoke', tags, access: admin, summary: '吊销平台密钥',
    description: '立即生效：之后用它签名的请求答 401 key_revoked。再次吊销不变；其他城市的密钥答 404。', params: idParams,
    responses: { 200: { description: '已吊销的密钥', schema: dataOf(keySchema), example: { data: { ...keyExample, status: 'revoked', revokedAt: EXAMPLE_TIME } } } },
  },
  attest: {
    method: 'post', path: '/', tags, access: 'signed', summary: '平台上报骑手从业情况（签名）', description: SIGNING,
    body: attestationBody,
    bodyExample: { riderPhone: '13800138000', activeSince: '2025-03-01', onTimeRate: 0.97, atFaultAccidents: 0, complaints: 0, observedAt: '2026-11-25T11:30:00+08:00' },
    errors: [404, 409, 422],
    responses: { 201: {
      description: '已记录', schema: dataOf(z.object({ id: objectId, receivedAt: isoTime })),
      example: { data: { id: EXAMPLE_ID, receivedAt: EXAMPLE_TIME } },
    } },
  },
  verification: {
    method: 'get', path: '/verification', tags, access: ['rider'], summary: '我的认证等级（骑手）',
    description: '平台证明超过有效期（默认 90 天）后不再计入；管理员认证或平台认证过的骑手始终为 platform。',
    responses: { 200: {
      description: '认证等级与平台', schema: dataOf(verificationSchema),
      example: { data: { level: 'platform', platform: '美团', phoneBound: true, attestedAt: EXAMPLE_TIME } },
    } },
  },
};
