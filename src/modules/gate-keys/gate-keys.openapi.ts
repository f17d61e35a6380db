import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { EXAMPLE_ID } from '../../shared/openapi/schemas';

export const JWKS_MAX_AGE_S = 300;

const jwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().meta({ description: '公钥（base64url）' }),
  kid: z.string().meta({ description: '密钥 ID，与二维码令牌头部的 kid 对应' }),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});

/** GET /.well-known/jwks.json (src/modules/gate-keys/gate-keys.routes.ts). */
export const gateKeysDocs = {
  jwks: {
    method: 'get', path: '/.well-known/jwks.json', tags: ['gate-keys'], access: 'none',
    summary: '通行证二维码验签公钥（JWKS）',
    description: `门岗设备离线验证通行证二维码令牌（Ed25519 紧凑 JWS，alg 固定为 EdDSA，typ 为 pass+jwt，最长 60 秒有效）所用的公钥集合。` +
      `密钥轮换：新密钥在启用前约一小时即已列出，旧密钥在其签发的令牌全部过期前仍然列出。设备应至少每 ${JWKS_MAX_AGE_S / 60} 分钟（Cache-Control）刷新一次。`,
    responses: {
      200: {
        description: '仍可用于验签的公钥，最新的在前',
        schema: z.object({ keys: z.array(jwk) }),
        headers: { 'Cache-Control': `public, max-age=${JWKS_MAX_AGE_S}` },
        example: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: EXAMPLE_ID, alg: 'EdDSA', use: 'sig' }] },
      },
    },
  },
} satisfies Record<string, RouteDoc>;
